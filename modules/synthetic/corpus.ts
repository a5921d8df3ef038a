// Plain English prose (written for this project) that synthetic prompts are cut from, so prompts look
// like text to the tokenizer and to the model instead of random bytes.

/** The filler text; prompts longer than it wrap around to its start. */
export const CORPUS = `The harbor town woke slowly on winter mornings. Fishing boats came back before sunrise, and the
market opened while the streets were still wet from the night rain. Merchants stacked crates of
apples, onions and bread, and children ran between the stalls on their way to school. Nobody hurried,
because the ferry to the mainland left only twice a day and everyone knew its timetable by heart.

Engineers who design a bridge begin with the river rather than with the steel. They measure how fast
the water moves in spring, how high it rises after a storm and how much ice it carries in February.
Only then do they choose the length of each span, the depth of the piers and the shape of the deck.
A good bridge looks simple because the difficult decisions were made long before construction began.

In the library on the hill, an old map showed roads that no longer existed. Some had become footpaths
through the forest; others had disappeared under new houses and parking lots. The librarian kept the
map behind glass and liked to ask visitors to find their own street on it. Most people could not, and
they left with a new question about how quickly a familiar place can change.

A kitchen garden needs less space than most people think. Three raised beds can feed a family with
lettuce, beans, tomatoes and herbs for most of the summer. The secret is to plant a little at a time,
every two weeks, so that the harvest arrives in a steady stream rather than all at once. Water in the
early morning, pull weeds while they are small, and write down what worked for the next year.

The telescope on the roof was older than the building beneath it. Students carried it up the stairs
each clear night, pointed it at the moon or at Jupiter, and took turns at the eyepiece while someone
read the names of craters from a worn catalogue. The images were not sharp, but nobody complained.
Seeing the rings of Saturn with your own eyes is different from seeing them in a photograph.

When a team writes software together, the hardest problems are rarely about the code itself. They are
about agreeing on names, deciding who owns which part and remembering why a choice was made six
months ago. Short notes next to the code, small changes that are easy to review and tests that explain
what the program must do help more than any clever algorithm. The best teams make their work boring
to read, because surprises belong in stories and not in production systems.

The mountain railway climbs eleven hundred meters in less than an hour. Its carriages are painted red
and tilt slightly so that passengers sit level on the steep track. In summer the train is full of hikers
with heavy boots; in winter it carries skiers and, on Tuesdays, the baker who delivers bread to the
hotel at the top. The conductor knows most of the regular passengers and greets them by name.

Rain returned in the afternoon, first as a light mist and then as a steady shower that emptied the
square. The musicians packed their instruments, the café pulled its chairs under the awning and the
pigeons found shelter under the statue of a forgotten mayor. By evening the clouds had moved east, the
stones of the square shone in the lamplight and the town was quiet again.
`;
