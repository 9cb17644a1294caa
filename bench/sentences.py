"""The benchmark's input: the same English sentences for every system, and tokenizer text."""

SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Please open the window; it is warm in here!",
    "The meeting starts at half past nine in the small room on the second floor.",
    "Do you want tea or coffee?",
    "Our new café serves fresh bread, soup and a very good cheese cake every morning.",
    "Send the report to the whole team before Friday, and keep a copy for yourself.",
    "He bought three apples, twelve pears and a kilo of grapes at the market.",
    "The translator keeps paragraphs, lists and line breaks exactly as they were.",
    "It is raining cats and dogs, so take an umbrella when you go out.",
    "Machine translation now works offline on your own computer, without any account.",
    "The children played football in the park all afternoon and came home tired.",
    "Call me if anything goes wrong.",
    "Temperatures reach thirty five degrees in July and fall below zero in January.",
    "Read the first chapter and write a short summary of the main ideas for tomorrow.",
    "Where is the nearest train station?",
    "The museum is closed on Mondays, but the garden stays open until sunset.",
)

TRAINING_TEXT = """\
A translator turns text from one language into another while keeping its meaning.
Good translations keep names, numbers and the layout of the original document.
The weather was cold in the morning, but the afternoon was sunny and warm.
She reads a book every week and writes about it in her small notebook.
Trains leave the central station every twenty minutes during the day.
We walked along the river and watched the boats go by under the old bridge.
The shop on the corner sells fruit, vegetables, bread and fresh flowers.
Please remember to close the door and turn off the lights when you leave.
Our team finished the project two days early and celebrated with a dinner.
The library opens at eight and closes at six, except on public holidays.
"""
