<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>App</name>
    <message>
        <location filename="../app.py" line="89"/>
        <source>The demo model could not be installed: %1</source>
        <translation>Le modèle de démonstration n’a pas pu être installé : %1</translation>
    </message>
    <message>
        <location filename="../app.py" line="94"/>
        <source>Welcome! The demo model %1 was installed so you can translate right away.</source>
        <translation>Bienvenue ! Le modèle de démonstration %1 a été installé pour que vous puissiez traduire tout de suite.</translation>
    </message>
</context>
<context>
    <name>BeamChoices</name>
    <message>
        <location filename="../settings.py" line="236"/>
        <source>Fastest (word by word)</source>
        <translation>Rapide (mot à mot)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="237"/>
        <source>Balanced</source>
        <translation>Équilibré</translation>
    </message>
    <message>
        <location filename="../settings.py" line="238"/>
        <source>Better quality</source>
        <translation>Qualité supérieure</translation>
    </message>
    <message>
        <location filename="../settings.py" line="239"/>
        <source>Best quality (slowest)</source>
        <translation>Meilleure qualité (plus lent)</translation>
    </message>
</context>
<context>
    <name>ConverterProcess</name>
    <message>
        <location filename="../converter_process.py" line="21"/>
        <source>Importing a checkpoint needs the converter, which is not part of this installation. Install Tolk with Python and its converter extra: pip install &quot;tolk[convert]&quot; (it brings transformers and torch), then run &apos;tolk gui&apos;.</source>
        <translation>L’import d’un checkpoint nécessite le convertisseur, absent de cette installation. Installez Tolk avec Python et son extra de conversion : pip install &quot;tolk[convert]&quot; (il apporte transformers et torch), puis lancez « tolk gui ».</translation>
    </message>
    <message>
        <location filename="../converter_process.py" line="105"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../converter_process.py" line="127"/>
        <source>The converter could not start: </source>
        <translation>Le convertisseur n’a pas pu démarrer : </translation>
    </message>
    <message>
        <location filename="../converter_process.py" line="136"/>
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
        <location filename="../documents_tab.py" line="174"/>
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
        <location filename="../documents_tab.py" line="183"/>
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
        <location filename="../documents_tab.py" line="170"/>
        <source>No new file to translate was found there.</source>
        <translation>Aucun nouveau fichier à traduire n’a été trouvé ici.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="178"/>
        <source>Folder to translate</source>
        <translation>Dossier à traduire</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="222"/>
        <source>An unfinished job was restored: press Start to resume it.</source>
        <translation>Une tâche inachevée a été restaurée : cliquez sur Démarrer pour la reprendre.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="243"/>
        <source>Translating…</source>
        <translation>Traduction en cours…</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="264"/>
        <source>%1 of %2 segments, %3 words/s</source>
        <translation>%1 segments sur %2, %3 mots/s</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="287"/>
        <source>Finished: %1 file(s) translated, %2 failed.</source>
        <translation>Terminé : %1 fichier(s) traduit(s), %2 en échec.</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="295"/>
        <source>The job stopped: %1</source>
        <translation>La tâche s’est arrêtée : %1</translation>
    </message>
    <message>
        <location filename="../documents_tab.py" line="299"/>
        <source>Cancelled. Start again to resume where it stopped.</source>
        <translation>Annulé. Redémarrez pour reprendre là où la tâche s’est arrêtée.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../models_tab.py" line="247"/>
        <source>Import a checkpoint</source>
        <translation>Importer un checkpoint</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="250"/>
        <source>A folder, or a hub id such as Helsinki-NLP/opus-mt-en-de</source>
        <translation>Un dossier, ou un identifiant du hub comme Helsinki-NLP/opus-mt-en-de</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="252"/>
        <source>Checkpoint folder or hub id</source>
        <translation>Dossier du checkpoint ou identifiant du hub</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="253"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="259"/>
        <source>Chosen from the checkpoint</source>
        <translation>Déduit du checkpoint</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="260"/>
        <source>Model name</source>
        <translation>Nom du modèle</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="263"/>
        <source>Quantization</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="265"/>
        <source>&amp;Checkpoint:</source>
        <translation>&amp;Checkpoint :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="266"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="267"/>
        <source>&amp;Quantization:</source>
        <translation>&amp;Quantification :</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="276"/>
        <source>Checkpoint folder</source>
        <translation>Dossier du checkpoint</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="50"/>
        <source>&amp;Translate</source>
        <translation>&amp;Traduire</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="51"/>
        <source>&amp;Documents</source>
        <translation>&amp;Documents</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="52"/>
        <source>&amp;Models</source>
        <translation>&amp;Modèles</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="76"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="77"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="80"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="94"/>
        <location filename="../main_window.py" line="128"/>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121"/>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="134"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139"/>
        <source>No model is loaded yet.</source>
        <translation>Aucun modèle n’est encore chargé.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="141"/>
        <source>In use: %1, %2.</source>
        <translation>Utilisé : %1, %2.</translation>
    </message>
</context>
<context>
    <name>ModelDetails</name>
    <message>
        <location filename="../models_tab.py" line="224"/>
        <source>From: %1</source>
        <translation>De : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="225"/>
        <source>To: %1</source>
        <translation>Vers : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="226"/>
        <source>Checkpoint: %1</source>
        <translation>Checkpoint : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="228"/>
        <source>Converted by Tolk %1 on %2</source>
        <translation>Converti par Tolk %1 le %2</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="232"/>
        <source>Folder: %1</source>
        <translation>Dossier : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="234"/>
        <source>Verification: %1</source>
        <translation>Vérification : %1</translation>
    </message>
</context>
<context>
    <name>ModelsTab</name>
    <message>
        <location filename="../models_tab.py" line="53"/>
        <source>Installed models</source>
        <translation>Modèles installés</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="61"/>
        <source>&amp;Import checkpoint…</source>
        <translation>&amp;Importer un checkpoint…</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="62"/>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="63"/>
        <source>D&amp;etails</source>
        <translation>D&amp;étails</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="64"/>
        <source>&amp;Cancel import</source>
        <translation>&amp;Annuler l’import</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="67"/>
        <source>Import progress</source>
        <translation>Progression de l’import</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="121"/>
        <source>Converter not installed</source>
        <translation>Convertisseur non installé</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="129"/>
        <source>Importing %1…</source>
        <translation>Import de %1…</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="147"/>
        <source>Imported %1.</source>
        <translation>%1 importé.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="154"/>
        <source>Import failed: %1</source>
        <translation>Échec de l’import : %1</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="159"/>
        <source>Import cancelled.</source>
        <translation>Import annulé.</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="176"/>
        <source>Remove model</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="177"/>
        <source>Remove the model &apos;%1&apos; from this computer?</source>
        <translation>Supprimer le modèle « %1 » de cet ordinateur ?</translation>
    </message>
    <message>
        <location filename="../models_tab.py" line="190"/>
        <source>Removed %1.</source>
        <translation>%1 supprimé.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings.py" line="158"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../settings.py" line="163"/>
        <source>Automatic (CUDA when it works, else CPU)</source>
        <translation>Automatique (CUDA s’il fonctionne, sinon CPU)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="164"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../settings.py" line="165"/>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (GPU NVIDIA)</translation>
    </message>
    <message>
        <location filename="../settings.py" line="167"/>
        <source>&amp;Device:</source>
        <translation>&amp;Processeur de calcul :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="174"/>
        <location filename="../settings.py" line="181"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location filename="../settings.py" line="176"/>
        <source>C&amp;ompute type:</source>
        <translation>T&amp;ype de calcul :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="183"/>
        <source>CPU threads</source>
        <translation>Threads CPU</translation>
    </message>
    <message>
        <location filename="../settings.py" line="184"/>
        <source>CPU &amp;threads:</source>
        <translation>&amp;Threads CPU :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="187"/>
        <source>Default &amp;quality:</source>
        <translation>&amp;Qualité par défaut :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="190"/>
        <location filename="../settings.py" line="197"/>
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <location filename="../settings.py" line="191"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location filename="../settings.py" line="192"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location filename="../settings.py" line="194"/>
        <source>T&amp;heme:</source>
        <translation>T&amp;hème :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="201"/>
        <source>&amp;Interface language:</source>
        <translation>&amp;Langue de l’interface :</translation>
    </message>
    <message>
        <location filename="../settings.py" line="202"/>
        <source>A new interface language applies the next time Tolk starts.</source>
        <translation>Une nouvelle langue d’interface s’applique au prochain démarrage de Tolk.</translation>
    </message>
</context>
<context>
    <name>TableModels</name>
    <message>
        <location filename="../table_models.py" line="49"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="50"/>
        <source>Languages</source>
        <translation>Langues</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="51"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="52"/>
        <source>Quantization</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="53"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="54"/>
        <source>Verified</source>
        <translation>Vérifié</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="96"/>
        <source>broken</source>
        <translation>endommagé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="100"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="102"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="119"/>
        <source>%1 languages</source>
        <translation>%1 langues</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="127"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="128"/>
        <source>Translating</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="129"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="130"/>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="131"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="132"/>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="148"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="149"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="150"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../table_models.py" line="151"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
</context>
<context>
    <name>TranslateTab</name>
    <message>
        <location filename="../translate_tab.py" line="89"/>
        <source>Source language</source>
        <translation>Langue source</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="91"/>
        <source>Target language</source>
        <translation>Langue cible</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="94"/>
        <source>Swap languages</source>
        <translation>Inverser les langues</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="95"/>
        <source>Swap languages and texts</source>
        <translation>Inverser les langues et les textes</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="99"/>
        <source>Quality or speed</source>
        <translation>Qualité ou vitesse</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="105"/>
        <source>T&amp;o:</source>
        <translation>&amp;Vers :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="109"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="120"/>
        <source>Text to translate</source>
        <translation>Texte à traduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="121"/>
        <location filename="../translate_tab.py" line="176"/>
        <source>Type or paste text to translate</source>
        <translation>Saisissez ou collez le texte à traduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="125"/>
        <source>Translation</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="100"/>
        <source>Translate as I t&amp;ype</source>
        <translation>Traduire pendant la &amp;saisie</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="104"/>
        <source>F&amp;rom:</source>
        <translation>D&amp;e :</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="139"/>
        <source>Tra&amp;nslate</source>
        <translation>Tr&amp;aduire</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="140"/>
        <source>Translate (Ctrl+Enter)</source>
        <translation>Traduire (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="141"/>
        <source>&amp;Stop</source>
        <translation>A&amp;rrêter</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="142"/>
        <source>Stop the translation (Esc)</source>
        <translation>Arrêter la traduction (Échap)</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="143"/>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="144"/>
        <source>Copy the translation</source>
        <translation>Copier la traduction</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="175"/>
        <source>No model is installed: import one in the Models tab.</source>
        <translation>Aucun modèle installé : importez-en un dans l’onglet Modèles.</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="244"/>
        <source>Install a model first: see the Models tab.</source>
        <translation>Installez d’abord un modèle : voir l’onglet Modèles.</translation>
    </message>
    <message>
        <location filename="../translate_tab.py" line="269"/>
        <source>Characters: %1</source>
        <translation>Caractères : %1</translation>
    </message>
</context>
<context>
    <name>TranslationWorker</name>
    <message>
        <location filename="../workers.py" line="128"/>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
</context>
</TS>
