<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>App</name>
    <message>
        <location filename="../app.py" line="99"/>
        <source>The demo model could not be installed: %1</source>
        <translation>Le modèle de démonstration n’a pas pu être installé : %1</translation>
    </message>
    <message>
        <location filename="../app.py" line="104"/>
        <source>Welcome! The demo model %1 was installed so you can translate right away.</source>
        <translation>Bienvenue ! Le modèle de démonstration %1 a été installé pour que vous puissiez traduire tout de suite.</translation>
    </message>
</context>
<context>
    <name>BeamChoices</name>
    <message>
        <location filename="../settings.py" line="246"/>
        <source>Fastest (word by word)</source>
        <translation>Rapide (mot à mot)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="247"/>
        <source>Balanced</source>
        <translation>Équilibré</translation>
    </message>
    <message>
        <location filename="../settings.py" line="248"/>
        <source>Better quality</source>
        <translation>Qualité supérieure</translation>
    </message>
    <message>
        <location filename="../settings.py" line="249"/>
        <source>Best quality (slowest)</source>
        <translation>Meilleure qualité (plus lent)</translation>
    </message>
</context>
<context>
    <name>ConverterProcess</name>
    <message>
        <location filename="../converter_process.py" line="114"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../converter_process.py" line="144"/>
        <source>The converter could not start: </source>
        <translation>Le convertisseur n’a pas pu démarrer : </translation>
    </message>
    <message>
        <location filename="../converter_process.py" line="153"/>
        <source>The converter stopped with exit code %1</source>
        <translation>Le convertisseur s’est arrêté avec le code %1</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <location filename="../documents_tab.py" line="86"/>
        <source>Add f&amp;iles…</source>
        <translation>Ajouter des f&amp;ichiers…</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="87"/>
        <source>Add f&amp;older…</source>
        <translation>Ajouter un d&amp;ossier…</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="88"/>
        <source>C&amp;lear</source>
        <translation>Vid&amp;er</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="93"/>
        <source>Or drop files and folders here.</source>
        <translation>Ou déposez des fichiers et des dossiers ici.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="97"/>
        <location filename="../documents_tab.py" line="189"/>
        <source>Files to translate</source>
        <translation>Fichiers à traduire</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="108"/>
        <source>Beside each file</source>
        <translation>À côté de chaque fichier</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="109"/>
        <location filename="../documents_tab.py" line="199"/>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="110"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="112"/>
        <source>Translate documents into</source>
        <translation>Traduire les documents en</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="114"/>
        <source>O&amp;utput folder:</source>
        <translation>Dossier de so&amp;rtie :</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="117"/>
        <source>I&amp;nto:</source>
        <translation>&amp;Vers :</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="125"/>
        <source>C&amp;ancel</source>
        <translation>A&amp;nnuler</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="127"/>
        <source>O&amp;pen output folder</source>
        <translation>O&amp;uvrir le dossier de sortie</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="272"/>
        <source>No application could open the folder %1; the files are there.</source>
        <translation>Aucune application n’a pu ouvrir le dossier %1 ; les fichiers s’y trouvent.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="285"/>
        <source>%1 of %2 segments</source>
        <translation>%1 segments sur %2</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="292"/>
        <source>%1 words/s</source>
        <translation>%1 mots/s</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="122"/>
        <source>Job progress</source>
        <translation>Progression de la tâche</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="124"/>
        <source>&amp;Start</source>
        <translation>Dém&amp;arrer</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="178"/>
        <source>Not a document Tolk can translate: %1. Supported: %2.</source>
        <translation>Tolk ne sait pas traduire ce type de fichier : %1. Formats pris en charge : %2.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="183"/>
        <source>No new file to translate was found there.</source>
        <translation>Aucun nouveau fichier à traduire n’a été trouvé ici.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="187"/>
        <source>Documents (%1)</source>
        <translation>Documents (%1)</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="194"/>
        <source>Folder to translate</source>
        <translation>Dossier à traduire</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="238"/>
        <source>An unfinished job was restored: press Start to resume it.</source>
        <translation>Une tâche inachevée a été restaurée : cliquez sur Démarrer pour la reprendre.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="259"/>
        <source>Translating…</source>
        <translation>Traduction en cours…</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="313"/>
        <source>Finished: %1 file(s) translated, %2 failed.</source>
        <translation>Terminé : %1 fichier(s) traduit(s), %2 en échec.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="321"/>
        <source>The job stopped: %1</source>
        <translation>La tâche s’est arrêtée : %1</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="325"/>
        <source>Cancelled. Start again to resume where it stopped.</source>
        <translation>Annulé. Redémarrez pour reprendre là où la tâche s’est arrêtée.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../models_tab.py" line="316"/>
        <source>Import a checkpoint</source>
        <translation>Importer un checkpoint</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="318"/>
        <source>Checkpoint folder or hub id</source>
        <translation>Dossier du checkpoint ou identifiant du hub</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="320"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="328"/>
        <source>A checkpoint folder (with config.json), or a Hugging Face hub id such as Helsinki-NLP/opus-mt-en-de.</source>
        <translation>Un dossier de checkpoint (avec config.json), ou un identifiant du hub Hugging Face comme Helsinki-NLP/opus-mt-en-de.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="332"/>
        <source>&amp;Download a hub id that is not on this computer</source>
        <translation>&amp;Télécharger un identifiant du hub absent de cet ordinateur</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="336"/>
        <source>Chosen from the checkpoint</source>
        <translation>Déduit du checkpoint</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="337"/>
        <source>Model name</source>
        <translation>Nom du modèle</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="340"/>
        <source>Quantization</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="344"/>
        <source>&amp;Checkpoint:</source>
        <translation>&amp;Checkpoint :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="347"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="348"/>
        <source>&amp;Quantization:</source>
        <translation>&amp;Quantification :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="358"/>
        <source>Checkpoint folder</source>
        <translation>Dossier du checkpoint</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="374"/>
        <source>Give a checkpoint folder or a hub id.</source>
        <translation>Indiquez un dossier de checkpoint ou un identifiant du hub.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="379"/>
        <source>No such folder: %1</source>
        <translation>Ce dossier n’existe pas : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="382"/>
        <source>%1 is not on this computer. Tick “Download a hub id that is not on this computer” to fetch it (it needs the network), or choose a folder.</source>
        <translation>%1 n’est pas sur cet ordinateur. Cochez « Télécharger un identifiant du hub absent de cet ordinateur » pour le récupérer (il faut le réseau), ou choisissez un dossier.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="389"/>
        <source>%1 is a file: choose the folder that holds it.</source>
        <translation>%1 est un fichier : choisissez le dossier qui le contient.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="393"/>
        <source>%1 has no config.json: it is not a checkpoint folder.</source>
        <translation>%1 ne contient pas de config.json : ce n’est pas un dossier de checkpoint.</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <location filename="../languages.py" line="14"/>
        <source>Arabic</source>
        <translation>arabe</translation>
    </message>
    <message>
        <location filename="../languages.py" line="15"/>
        <source>Bulgarian</source>
        <translation>bulgare</translation>
    </message>
    <message>
        <location filename="../languages.py" line="16"/>
        <source>Catalan</source>
        <translation>catalan</translation>
    </message>
    <message>
        <location filename="../languages.py" line="17"/>
        <source>Chinese</source>
        <translation>chinois</translation>
    </message>
    <message>
        <location filename="../languages.py" line="18"/>
        <source>Czech</source>
        <translation>tchèque</translation>
    </message>
    <message>
        <location filename="../languages.py" line="19"/>
        <source>Danish</source>
        <translation>danois</translation>
    </message>
    <message>
        <location filename="../languages.py" line="20"/>
        <source>Dutch</source>
        <translation>néerlandais</translation>
    </message>
    <message>
        <location filename="../languages.py" line="21"/>
        <source>English</source>
        <translation>anglais</translation>
    </message>
    <message>
        <location filename="../languages.py" line="22"/>
        <source>Finnish</source>
        <translation>finnois</translation>
    </message>
    <message>
        <location filename="../languages.py" line="23"/>
        <source>French</source>
        <translation>français</translation>
    </message>
    <message>
        <location filename="../languages.py" line="24"/>
        <source>German</source>
        <translation>allemand</translation>
    </message>
    <message>
        <location filename="../languages.py" line="25"/>
        <source>Greek</source>
        <translation>grec</translation>
    </message>
    <message>
        <location filename="../languages.py" line="26"/>
        <source>Hebrew</source>
        <translation>hébreu</translation>
    </message>
    <message>
        <location filename="../languages.py" line="27"/>
        <source>Hindi</source>
        <translation>hindi</translation>
    </message>
    <message>
        <location filename="../languages.py" line="28"/>
        <source>Hungarian</source>
        <translation>hongrois</translation>
    </message>
    <message>
        <location filename="../languages.py" line="29"/>
        <source>Italian</source>
        <translation>italien</translation>
    </message>
    <message>
        <location filename="../languages.py" line="30"/>
        <source>Japanese</source>
        <translation>japonais</translation>
    </message>
    <message>
        <location filename="../languages.py" line="31"/>
        <source>Korean</source>
        <translation>coréen</translation>
    </message>
    <message>
        <location filename="../languages.py" line="32"/>
        <source>Norwegian</source>
        <translation>norvégien</translation>
    </message>
    <message>
        <location filename="../languages.py" line="33"/>
        <source>Polish</source>
        <translation>polonais</translation>
    </message>
    <message>
        <location filename="../languages.py" line="34"/>
        <source>Portuguese</source>
        <translation>portugais</translation>
    </message>
    <message>
        <location filename="../languages.py" line="35"/>
        <source>Romanian</source>
        <translation>roumain</translation>
    </message>
    <message>
        <location filename="../languages.py" line="36"/>
        <source>Russian</source>
        <translation>russe</translation>
    </message>
    <message>
        <location filename="../languages.py" line="37"/>
        <source>Spanish</source>
        <translation>espagnol</translation>
    </message>
    <message>
        <location filename="../languages.py" line="38"/>
        <source>Swedish</source>
        <translation>suédois</translation>
    </message>
    <message>
        <location filename="../languages.py" line="39"/>
        <source>Turkish</source>
        <translation>turc</translation>
    </message>
    <message>
        <location filename="../languages.py" line="40"/>
        <source>Ukrainian</source>
        <translation>ukrainien</translation>
    </message>
    <message>
        <location filename="../languages.py" line="41"/>
        <source>Vietnamese</source>
        <translation>vietnamien</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="56"/>
        <source>&amp;Translate</source>
        <translation>&amp;Traduire</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="57"/>
        <source>&amp;Documents</source>
        <translation>&amp;Documents</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="58"/>
        <source>&amp;Models</source>
        <translation>&amp;Modèles</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="97"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="98"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="101"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="115"/>
        <location filename="../main_window.py" line="166"/>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155"/>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>No model is loaded yet.</source>
        <translation>Aucun modèle n’est encore chargé.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="179"/>
        <source>In use: %1, %2.</source>
        <translation>Utilisé : %1, %2.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="186"/>
        <source>CPU requested</source>
        <translation>CPU demandé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="188"/>
        <source>CUDA requested</source>
        <translation>CUDA demandé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>A CUDA device was found and a test decode succeeded.</source>
        <translation>Un périphérique CUDA a été trouvé et un décodage d’essai a réussi.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="192"/>
        <source>No usable CUDA device (%1).</source>
        <translation>Aucun périphérique CUDA utilisable (%1).</translation>
    </message>
</context>
<context>
    <name>ModelDetails</name>
    <message>
        <location filename="../models_tab.py" line="289"/>
        <source>From: %1</source>
        <translation>De : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="290"/>
        <source>To: %1</source>
        <translation>Vers : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="291"/>
        <source>Checkpoint: %1</source>
        <translation>Checkpoint : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="293"/>
        <source>Converted by Tolk %1 on %2</source>
        <translation>Converti par Tolk %1 le %2</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="297"/>
        <source>Folder: %1</source>
        <translation>Dossier : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="299"/>
        <source>Verification: %1</source>
        <translation>Vérification : %1</translation>
    </message>
</context>
<context>
    <name>ModelsTab</name>
    <message>
        <location filename="../models_tab.py" line="88"/>
        <source>Installed models</source>
        <translation>Modèles installés</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="96"/>
        <source>&amp;Import checkpoint…</source>
        <translation>&amp;Importer un checkpoint…</translation>
    </message>
    <message>
        <source>&amp;Get models…</source>
        <translation>&amp;Obtenir des modèles…</translation>
    </message>
    <message>
        <source>Find and install models from the online list (needs a network connection while it downloads; nothing is sent but the download request).</source>
        <translation>Trouver et installer des modèles depuis la liste en ligne (une connexion est nécessaire pendant le téléchargement ; rien n’est envoyé d’autre que la demande de téléchargement).</translation>
    </message>
    <message>
        <source>Import &amp;package…</source>
        <translation>Importer un &amp;paquet…</translation>
    </message>
    <message>
        <source>Install an Argos Translate package (.argosmodel), for example one downloaded on another computer; or drop it on this tab.</source>
        <translation>Installer un paquet Argos Translate (.argosmodel), par exemple téléchargé sur un autre ordinateur ; ou le déposer sur cet onglet.</translation>
    </message>
    <message>
        <source>Import a model package</source>
        <translation>Importer un paquet de modèle</translation>
    </message>
    <message>
        <source>Argos Translate packages (*.argosmodel)</source>
        <translation>Paquets Argos Translate (*.argosmodel)</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="97"/>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="98"/>
        <source>D&amp;etails</source>
        <translation>D&amp;étails</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="99"/>
        <source>&amp;Cancel import</source>
        <translation>&amp;Annuler l’import</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="102"/>
        <source>Import progress</source>
        <translation>Progression de l’import</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="166"/>
        <source>Converter not installed</source>
        <translation>Convertisseur non installé</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="181"/>
        <source>Importing %1…</source>
        <translation>Import de %1…</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="199"/>
        <source>Imported %1.</source>
        <translation>%1 importé.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="206"/>
        <source>tick “Download a hub id…” in the import dialog</source>
        <translation>cochez « Télécharger un identifiant du hub… » dans la fenêtre d’import</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="210"/>
        <source>Import failed: %1</source>
        <translation>Échec de l’import : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="215"/>
        <source>Import cancelled.</source>
        <translation>Import annulé.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="233"/>
        <source>Remove model</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="234"/>
        <source>Remove the model &apos;%1&apos; from this computer?</source>
        <translation>Supprimer le modèle « %1 » de cet ordinateur ?</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="247"/>
        <source>Removed %1.</source>
        <translation>%1 supprimé.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings.py" line="168"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../settings.py" line="173"/>
        <source>Automatic (CUDA when it works, else CPU)</source>
        <translation>Automatique (CUDA s’il fonctionne, sinon CPU)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="174"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../settings.py" line="175"/>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (GPU NVIDIA)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="177"/>
        <source>&amp;Device:</source>
        <translation>&amp;Processeur de calcul :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="184"/>
        <location filename="../settings.py" line="191"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location filename="../settings.py" line="186"/>
        <source>C&amp;ompute type:</source>
        <translation>T&amp;ype de calcul :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="193"/>
        <source>CPU threads</source>
        <translation>Threads CPU</translation>
    </message>
    <message>
        <location filename="../settings.py" line="194"/>
        <source>CPU &amp;threads:</source>
        <translation>&amp;Threads CPU :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="197"/>
        <source>Default &amp;quality:</source>
        <translation>&amp;Qualité par défaut :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="200"/>
        <location filename="../settings.py" line="207"/>
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <location filename="../settings.py" line="201"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location filename="../settings.py" line="202"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location filename="../settings.py" line="204"/>
        <source>T&amp;heme:</source>
        <translation>T&amp;hème :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="211"/>
        <source>&amp;Interface language:</source>
        <translation>&amp;Langue de l’interface :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="212"/>
        <source>A new interface language applies the next time Tolk starts.</source>
        <translation>Une nouvelle langue d’interface s’applique au prochain démarrage de Tolk.</translation>
    </message>
</context>
<context>
    <name>TableModels</name>
    <message>
        <location filename="../table_models.py" line="56"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="57"/>
        <source>Languages</source>
        <translation>Langues</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="58"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="59"/>
        <source>Quantization</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="60"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="61"/>
        <source>Verified</source>
        <translation>Vérifié</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="100"/>
        <source>broken</source>
        <translation>endommagé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="104"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="106"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="105"/>
        <source>yes (runtime check)</source>
        <translation>oui (contrôle à l’exécution)</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="106"/>
        <source>UNVERIFIED</source>
        <translation>NON VÉRIFIÉ</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="125"/>
        <source>%1 languages</source>
        <translation>%1 langues</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="133"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="134"/>
        <source>Translating</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="135"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="136"/>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="137"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="138"/>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="154"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="155"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="156"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="157"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
</context>
<context>
    <name>TranslateTab</name>
    <message>
        <location filename="../translate_tab.py" line="104"/>
        <source>Source language</source>
        <translation>Langue source</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="106"/>
        <source>Target language</source>
        <translation>Langue cible</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="109"/>
        <source>Swap languages</source>
        <translation>Inverser les langues</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="110"/>
        <source>Swap languages and texts</source>
        <translation>Inverser les langues et les textes</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="114"/>
        <source>Quality or speed</source>
        <translation>Qualité ou vitesse</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="120"/>
        <source>T&amp;o:</source>
        <translation>&amp;Vers :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="124"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="136"/>
        <source>Text to translate</source>
        <translation>Texte à traduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="137"/>
        <location filename="../translate_tab.py" line="195"/>
        <source>Type or paste text to translate</source>
        <translation>Saisissez ou collez le texte à traduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="141"/>
        <source>Translation</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="115"/>
        <source>Translate as I t&amp;ype</source>
        <translation>Traduire pendant la &amp;saisie</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="119"/>
        <source>F&amp;rom:</source>
        <translation>D&amp;e :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="155"/>
        <source>Tra&amp;nslate</source>
        <translation>Tr&amp;aduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="156"/>
        <source>Translate (Ctrl+Enter)</source>
        <translation>Traduire (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="157"/>
        <source>&amp;Stop</source>
        <translation>A&amp;rrêter</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="158"/>
        <source>Stop the translation (Esc)</source>
        <translation>Arrêter la traduction (Échap)</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="159"/>
        <location filename="../translate_tab.py" line="292"/>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="160"/>
        <source>Copy the translation</source>
        <translation>Copier la traduction</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="194"/>
        <source>No model is installed: import one in the Models tab.</source>
        <translation>Aucun modèle installé : importez-en un dans l’onglet Modèles.</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="275"/>
        <source>Install a model first: see the Models tab.</source>
        <translation>Installez d’abord un modèle : voir l’onglet Modèles.</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="291"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="313"/>
        <source>Not a document Tolk can translate: %1</source>
        <translation>Tolk ne sait pas traduire ce type de fichier : %1</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="329"/>
        <source>Characters: %1</source>
        <translation>Caractères : %1</translation>
    </message>
</context>
<context>
    <name>TranslationWorker</name>
    <message>
        <location filename="../workers.py" line="158"/>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../welcome.py" line="23"/>
        <source>Welcome to Tolk</source>
        <translation>Bienvenue dans Tolk</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="31"/>
        <source>&amp;Import a checkpoint…</source>
        <translation>&amp;Importer un checkpoint…</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="34"/>
        <source>Open the models fo&amp;lder</source>
        <translation>Ouvrir le &amp;dossier des modèles</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="53"/>
        <source>No translation model is installed yet. To get one:</source>
        <translation>Aucun modèle de traduction n’est encore installé. Pour en obtenir un :</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="54"/>
        <source>&lt;b&gt;Import a model package&lt;/b&gt; (a folder with &lt;i&gt;tolk.json&lt;/i&gt;, converted on another computer): copy it into %1. It appears here at once.</source>
        <translation>&lt;b&gt;Importer un paquet de modèle&lt;/b&gt; (un dossier avec &lt;i&gt;tolk.json&lt;/i&gt;, converti sur un autre ordinateur) : copiez-le dans %1. Il apparaît ici aussitôt.</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="56"/>
        <source>&lt;b&gt;Convert a Hugging Face checkpoint&lt;/b&gt;, a folder or a hub id such as Helsinki-NLP/opus-mt-en-de: press &lt;i&gt;Import a checkpoint…&lt;/i&gt;, or run &lt;tt&gt;tolk convert Helsinki-NLP/opus-mt-en-de --download&lt;/tt&gt;. Converting needs Tolk&apos;s converter: &lt;tt&gt;pip install &quot;tolk[convert]&quot;&lt;/tt&gt;.</source>
        <translation>&lt;b&gt;Convertir un checkpoint Hugging Face&lt;/b&gt;, un dossier ou un identifiant du hub comme Helsinki-NLP/opus-mt-en-de : cliquez sur &lt;i&gt;Importer un checkpoint…&lt;/i&gt;, ou lancez &lt;tt&gt;tolk convert Helsinki-NLP/opus-mt-en-de --download&lt;/tt&gt;. La conversion demande le convertisseur de Tolk : &lt;tt&gt;pip install "tolk[convert]"&lt;/tt&gt;.</translation>
    </message>
    <message>
        <location filename="../welcome.py" line="60"/>
        <source>&lt;b&gt;Get a ready-made model&lt;/b&gt; from the online list: &lt;i&gt;Models → Get models…&lt;/i&gt;, or &lt;tt&gt;tolk models install CODE&lt;/tt&gt;. An Argos Translate package (&lt;i&gt;.argosmodel&lt;/i&gt;) carried from another computer installs with &lt;i&gt;Models → Import package…&lt;/i&gt; or &lt;tt&gt;tolk models import FILE&lt;/tt&gt;.</source>
        <translation>&lt;b&gt;Obtenir un modèle prêt à l’emploi&lt;/b&gt; depuis la liste en ligne : &lt;i&gt;Modèles → Obtenir des modèles…&lt;/i&gt;, ou &lt;tt&gt;tolk models install CODE&lt;/tt&gt;. Un paquet Argos Translate (&lt;i&gt;.argosmodel&lt;/i&gt;) apporté d’un autre ordinateur s’installe avec &lt;i&gt;Modèles → Importer un paquet…&lt;/i&gt; ou &lt;tt&gt;tolk models import FILE&lt;/tt&gt;.</translation>
    </message>
</context>
<context>
    <name>GetModelsDialog</name>
    <message>
        <source>Get models</source>
        <translation>Obtenir des modèles</translation>
    </message>
    <message>
        <source>Reading the list of models…</source>
        <translation>Lecture de la liste des modèles…</translation>
    </message>
    <message>
        <source>Search by language or code</source>
        <translation>Rechercher par langue ou code</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>Rechercher des modèles</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Langues</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Models that can be installed</source>
        <translation>Modèles installables</translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation>&amp;Installer</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>&amp;Annuler le téléchargement</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>Progression du téléchargement</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>installé</translation>
    </message>
    <message>
        <source>Offline: this is the list of %1 and may be out of date (%2).</source>
        <translation>Hors ligne : voici la liste du %1, peut-être périmée (%2).</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Téléchargement de %1…</translation>
    </message>
    <message>
        <source>%1 of %2 MB, %3 MB/s, %4 s left</source>
        <translation>%1 sur %2 Mo, %3 Mo/s, %4 s restantes</translation>
    </message>
    <message>
        <source>Download stopped; Install resumes it.</source>
        <translation>Téléchargement arrêté ; Installer le reprend.</translation>
    </message>
    <message>
        <source>Install failed: %1</source>
        <translation>Échec de l’installation : %1</translation>
    </message>
    <message>
        <source>Installed %1.</source>
        <translation>%1 installé.</translation>
    </message>
    <message>
        <source>needs conversion (%1)</source>
        <translation>à convertir (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) available.</source>
        <translation>
            <numerusform>%n modèle disponible.</numerusform>
            <numerusform>%n modèles disponibles.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LanguageCatalog</name>
    <message>
        <source>%1 (via English)</source>
        <translation>%1 (via l’anglais)</translation>
    </message>
</context>
</TS>
