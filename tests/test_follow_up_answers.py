"""Follow-ups answered from what the conversation fixed: the time "at the time" means, the relation an ellipsis
borrows, and a release note read under its heading (texts written for these tests, on no dev or test corpus)."""

from __future__ import annotations

import pytest

from qa.generate import GenerationRequest
from qa.generators.extractive import Span
from qa.generators.typed import at_the_time
from qa.generators.spans import cross_reading
from qa.relation import asked_relation, says_ellipsis_subject


def _span(sentence: str, previous: str = "") -> Span:
    return Span(0, 0, len(sentence), sentence, sentence, previous=previous)


def test_an_ellipsis_asks_the_relation_of_its_standalone_query():
    request = GenerationRequest("And label_small?", "What does label_small print? label_large", ())
    assert asked_relation(request, []) == {"print"}
    own = GenerationRequest("What does jarlib.label_large print?", "What does jarlib.label_large print?", ())
    assert asked_relation(own, []) == {"print"}  # a dotted or snake_case name is a name, not a relation


def test_a_short_sentence_is_read_under_its_heading_only():
    assert cross_reading(_span("New in version 2.4.", "jarlib — labels for preserve jars¶")) == \
        "jarlib — labels for preserve jars¶ New in version 2.4."
    assert cross_reading(_span("It has two modes.", "The labeller prints in large type.")) == "It has two modes."
    assert cross_reading(_span("The labeller prints names of jars in type of any size.", "Labels¶")) == \
        "The labeller prints names of jars in type of any size."


def test_only_sentences_at_the_anchored_time_answer_when_one_names_it():
    history = ({"role": "user", "content": "When did Mara Quill learn to bake?"},
               {"role": "assistant", "content": "In the late 1880s [1]."})
    spans = [_span("In 1912 Mara Quill was working at the Orla flour mill."),
             _span("In the late 1880s she was employed at the Tull Street bakery."),
             _span("She liked rye bread best.")]
    request = GenerationRequest("Where was she working at the time?", "Where was Mara Quill working at the time?",
                                (), history)
    assert [s.text for s in at_the_time(request, spans)] == [spans[1].text]
    request = GenerationRequest("Where was she working?", "Where was Mara Quill working?", (), history)
    assert at_the_time(request, spans) == spans


BAKER = """Mara Quill

Mara Quill learned to bake from her mother in the late 1880s.
In the late 1880s she was employed at the Tull Street bakery in Hallby.
In 1912 Mara Quill was working at the Orla flour mill, which she later bought.
She is remembered for her rye bread.
"""

JARLIB = """jarlib — labels for preserve jars¶
New in version 2.4.
Source code: Lib/jarlib.py
The jarlib module prints labels for preserve jars in several sizes.
jarlib.label_small(name)¶
Print a short label in small capitals for a jar of under half a litre.
>>> label_small('plum')
'PLUM'
jarlib.label_large(name)¶
Print a long label in large type for a jar of a litre or more.
>>> label_large('plum')
'PLUM PRESERVE'
"""


@pytest.mark.slow
@pytest.mark.parametrize("text,turn,reply,question,wanted,unwanted", [
    # "at the time" is the late 1880s: the Tull Street bakery, not the mill she worked at in 1912.
    (BAKER, "When did Mara Quill learn to bake?", "Mara Quill learned to bake in the late 1880s [1].",
     "Where was she working at the time?", "Tull Street", "Orla"),
    # "New in version 2.4." says nothing of jarlib on its own: it is read under its heading.
    (JARLIB, "What does the jarlib module do?", "It prints labels for preserve jars [1].", "When was it added?", "2.4",
     "I could not find"),
    # The prose under label_large's heading answers, not the interpreter example that repeats the name.
    (JARLIB, "What does jarlib.label_small print?", "A short label in small capitals [1].", "And label_large?",
     "large type", ">>>"),
])
def test_follow_ups_answer_from_what_the_conversation_fixed(fresh_docqa, tmp_path, text, turn, reply, question,
                                                             wanted, unwanted):
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    fresh_docqa.ingest([tmp_path / "doc.txt"])
    answer = fresh_docqa.ask(question, history=[{"role": "user", "content": turn},
                                                {"role": "assistant", "content": reply}])
    assert not answer.abstained and wanted in answer.answer and unwanted not in answer.answer, answer.answer


def test_a_lowercase_owner_no_passage_mentions_is_unknown():
    from qa.entities import owner_names, unknown_entities
    from qa.models import Chunk, Passage

    assert owner_names("Is it faster than numpy's mean?") == ["numpy"]
    assert owner_names("Is it the module's default? It's fine.") == ["module"]
    text = "The jarlib module prints labels."
    passage = Passage(Chunk("c", "d", "jarlib.txt", 0, 0, len(text), text), score=1.0)
    assert unknown_entities(owner_names("Is it faster than numpy's printer?"), [passage]) == ["numpy"]
    assert unknown_entities(owner_names("Is it the module's default?"), [passage]) == []


@pytest.mark.parametrize("question,answer,says", [
    ("Which university did Ilse Marr graduate from?", "Corran Polytechnic [1]. She worked at Corran Polytechnic [1].",
     False),
    ("Which university did Ilse Marr graduate from?", "Corran Polytechnic [1]. She studied at Corran Polytechnic [1].",
     True),
    ("Where did Ilse Marr post the photos?", "Fenmoor [1]. She lived on Fenmoor [1].", False),
    ("Where did Ilse Marr post the photos?", "Her blog [1]. She posted them on her blog [1].", True),
    # "roughly" says how exact the count should be, not a relation the answer must say.
    ("So roughly how many jars is that?", "About 400 jars [1]. The shop holds about 400 jars [1].", True),
    ("So roughly how many jars were smashed?", "About 400 jars [1]. The shop holds about 400 jars [1].", False),
    # An amount of money says what a thing cost or was priced at, not what someone paid or raised.
    ("How much did it cost?", "£640 [1]. The new kiln was £640 [1].", True),
    ("How much are they priced at?", "£12 [1]. Tickets for the fair are £12 [1].", True),
    ("How much did she pay?", "£640 [1]. The new kiln was £640 [1].", False),
    # "stand for" is said by an abbreviation or an acronym, not by any sentence naming the thing
    ("Does WAL stand for anything?", "Yes. WAL is an abbreviation of write-ahead log [1].", True),
    ("Does WAL stand for anything?", "Yes. WAL is switched on by default [1].", False),
])
def test_a_name_or_venue_answer_must_say_the_asked_relation(question, answer, says):
    from qa.relation import says_asked_relation

    assert says_asked_relation(GenerationRequest(question, question, ()), answer) is says


_JAM_CHAT = ({"role": "user", "content": "Who runs the Orla jam shop?"},
             {"role": "assistant", "content": "Mara Quill [1]. Mara Quill has run the Orla jam shop since 2019 [1]."})


@pytest.mark.parametrize("question, query, short, repeats", [
    # The shop the chat is about, or the name just given, tells the user nothing new.
    ("Which bakery did she work at before?", "Which bakery did Mara Quill work at before?", "Orla", True),
    ("Who supplies her fruit?", "Who supplies Mara Quill's fruit?", "Mara Quill", True),
    ("Which company did she found?", "Which company did Mara Quill found?", "Founder", True),  # the asked verb
    # A new name answers, even one that shares a word with the chat.
    ("Which bakery did she work at before?", "Which bakery did Mara Quill work at before?", "Tull Street bakery",
     False),
    ("Who supplies her fruit?", "Who supplies Mara Quill's fruit?", "Orla Fruit Farm", False),
    # A "where" may be answered by what is no place, its short answer a guess: the sentence is still judged.
    ("Where did she get the go-ahead?", "Where did Mara Quill get the go-ahead?", "Orla", False),
    # Yes/no and either-or questions may well answer with what was said.
    ("Is she still there?", "Is Mara Quill still at the Orla jam shop?", "Yes", False),
    ("Who is older, Mara or Orla?", "Who is older, Mara or Orla?", "Mara", False),
])
def test_an_answer_that_only_repeats_the_chat_is_no_answer(question, query, short, repeats):
    from qa.relation import only_repeats_conversation

    request = GenerationRequest(question, query, (), _JAM_CHAT)
    assert only_repeats_conversation(request, short, "Mara Quill") is repeats


@pytest.mark.parametrize("question, answer, repeats", [
    # Every word of it was said in the chat: the user learns nothing.
    ("What is special about it?", "The Orla jam shop is run by Mara Quill [1].", True),
    ("What is special about it?", "The Orla jam shop sells damson jam [1].", False),
    # A yes/no answer restates the question by nature.
    ("Is the shop run by Mara?", "Yes. The Orla jam shop is run by Mara Quill [1].", False),
])
def test_an_answer_saying_only_what_the_chat_said_is_no_answer(question, answer, repeats):
    from qa.relation import answer_repeats_conversation

    request = GenerationRequest(question, question, (), _JAM_CHAT)
    assert answer_repeats_conversation(request, answer, "Mara Quill") is repeats
    assert not answer_repeats_conversation(GenerationRequest(question, question, ()), answer, "")  # no chat yet


def test_a_name_from_the_assistants_supporting_sentence_still_answers():
    from qa.relation import only_repeats_conversation

    history = ({"role": "user", "content": "Who runs the Orla jam shop?"},
               {"role": "assistant", "content": "Mara Quill [1]. Mara Quill took over from Ned Brill in 2019 [1]."})
    request = GenerationRequest("Who did she take over from?", "Who did Mara Quill take over from?", (), history)
    assert only_repeats_conversation(request, "Ned Brill", "Mara Quill") is False
    assert only_repeats_conversation(GenerationRequest("Who runs it?", "Who runs the Orla jam shop?", ()), "Orla",
                                     "") is False  # no conversation yet: the question's own words are handled where short answers are chosen


@pytest.mark.parametrize("sentence, superseded", [
    ("The talk was originally scheduled for 11:30 on Day 3.", True),
    ("The release was planned for Monday 21 October.", True),
    ("The launch, originally planned for October, is now set for February.", False),  # says the change too
    ("It has moved to 14:00 because his flight now lands at 10:45.", False),
    ("The talk is at 14:00 in Hall B.", False),
])
def test_a_question_about_now_is_not_answered_by_a_superseded_plan(sentence, superseded):
    from qa.anaphora import asks_now, superseded as says_only_the_old_plan

    assert asks_now("What time is he on now?") and asks_now("Is the launch still in October?")
    assert not asks_now("When did she know about it?")  # "know" holds "now"
    assert says_only_the_old_plan(sentence) is superseded


def test_spans_of_a_superseded_plan_drop_out_only_for_now():
    spans = [_span("Ines Harlow's talk was originally scheduled for 11:30 on Day 3."),
             _span("It has moved to 14:00 because his flight now lands at 10:45.")]
    now = GenerationRequest("What time is he on now?", "What time is Ines Harlow on now?", ())
    assert [s.text for s in at_the_time(now, spans)] == [spans[1].text]
    before = GenerationRequest("What time was he on before?", "What time was Ines Harlow on before?", ())
    assert at_the_time(before, spans) == spans
    only_old = GenerationRequest("What time is he on now?", "What time is Ines Harlow on now?", ())
    assert at_the_time(only_old, spans[:1]) == spans[:1]  # nothing better to offer: the plan stays


@pytest.mark.parametrize("question,answer,says", [
    # A founding date or the town a band formed in is no birth, however sure the answer is.
    ("In which year was the founder of Corrow Ceramics born?",
     "1 April 1961 [1]. It was founded in Tessel on 1 April 1961 by Ilse Marr [1].", False),
    ("In which town was the drummer of Corrow born?", "Tessel [1]. Corrow are a band formed in Tessel in 1985 [1].", False),
    ("When was the founder of Corrow Ceramics born?", "Ilse Marr (born 3 May 1932) is a potter [1].", True),
    ("When did the founder of Corrow Ceramics die?", "Ilse Marr (1932 – 2011) was a potter [1].", True),
    ("When was Corrow Ceramics founded?", "1 April 1961 [1]. It was set up in Tessel on 1 April 1961 [1].", True),
])
def test_a_birth_or_death_asked_must_be_said(question, answer, says):
    from qa.relation import says_asked_life_event

    assert says_asked_life_event(GenerationRequest(question, question, ()), answer) is says


def test_his_name_is_no_womans_name():
    """"What was his name?" after "her grandfather" is not answered by a sentence naming only a woman, nor "her
    name" by one naming only a man (text written for this test)."""
    from qa.answer_types import answer_type
    from qa.generators.typed import of_the_asked_type

    spans = [_span("The shop's first till was bought by Margaret in 1962."),
             _span("Her grandfather, Walter Drennan, opened the shop in 1958.")]
    his = GenerationRequest("What was his name?", "What was Ailsa Drennan's grandfather's name?", ())
    assert [s.text for s in of_the_asked_type(his, answer_type(his.question), spans)] == [spans[1].text]
    hers = GenerationRequest("What was her name?", "What was Walter Drennan's wife's name?", ())
    assert [s.text for s in of_the_asked_type(hers, answer_type(hers.question), spans)] == [spans[0].text]


def test_a_pronoun_follow_up_is_answered_by_a_sentence_about_its_referent():
    """"How much did he cost?" after "Danny Ogunleye" is answered by the sentence naming him, not by the fee of the
    club's other signing; his name inside a quotation does not make another's age his, though "The 26-year-old"
    opening a sentence may be him (text written for this test)."""
    from qa.generators.typed import about_the_referent

    history = ({"role": "user", "content": "Who was Holbury's record signing before Serrat?"},
               {"role": "assistant", "content": "Danny Oyelaran."})
    spans = [_span("Holbury sign winger Serrat from Westbrook in club-record £18.5m deal."),
             _span("Their previous record signing was striker Danny Oyelaran, who joined for £14m in 2023.")]
    fee = GenerationRequest("How much did he cost?", "How much did Danny Oyelaran cost? Holbury Serrat", (), history)
    assert [s.text for s in about_the_referent(fee, spans)] == [spans[1].text]
    assert about_the_referent(GenerationRequest("How much did Serrat cost?", "How much did Serrat cost?", (), history),
                              spans) == spans  # no pronoun: nothing to hold the answer to
    ages = [_span('"Luis is quick and brave," the 48-year-old told the club\'s website.'),
            _span("The 26-year-old has agreed a five-year contract.")]
    age = GenerationRequest("How old is he?", "How old is Luis Serrat? Holbury", (), history)
    assert [s.text for s in about_the_referent(age, ages)] == [ages[1].text]


def test_a_sentence_that_refers_back_with_a_pronoun_may_answer_a_pronoun_follow_up():
    """"But he also called the Russian leader earlier this month" and a first-person "I decided to post" are about
    the one asked of; "He came through the youth system" after a sentence about the other player is not."""
    from qa.generators.typed import about_the_referent

    history = ({"role": "user", "content": "Who signed for Holbury before Serrat?"},
               {"role": "assistant", "content": "Danny Oyelaran."})
    spans = [_span("But he also called the Russian leader earlier this month."),
             _span("In February 1991, after over a year of work, I decided to post it."),
             Span(0, 0, 40, "He came through the youth system at Almendral.",
                  "He came through the youth system at Almendral.", "Serrat is a winger from Spain."),
             _span("The club signed Marta Ruiz from Almendral for £2m.")]
    club = GenerationRequest("Which club did he come from?", "Which club did Danny Oyelaran come from? Holbury Serrat",
                             (), history)
    assert [s.text for s in about_the_referent(club, spans)] == [spans[0].text, spans[1].text]


def test_the_referent_of_a_pronoun_is_preferred_after_scoring_not_filtered_before():
    """The sentences naming "his" referent go first, in their scored order; the rest follow rather than go."""
    from qa.generators.typed import about_the_referent_first

    history = ({"role": "user", "content": "Who was Holbury's record signing before Serrat?"},
               {"role": "assistant", "content": "Danny Oyelaran."})
    choices = [(_span("Holbury sign winger Serrat from Westbrook in club-record £18.5m deal."), None, 0.9),
               (_span("Their previous record signing was Danny Oyelaran, who joined for £14m in 2023."), None, 0.8)]
    fee = GenerationRequest("How much did he cost?", "How much did Danny Oyelaran cost? Holbury Serrat", (), history)
    assert about_the_referent_first(fee, choices) == [choices[1], choices[0]]
    plain = GenerationRequest("How much did Serrat cost?", "How much did Serrat cost?", (), history)
    assert about_the_referent_first(plain, choices) == choices


@pytest.mark.slow
def test_a_date_about_him_is_no_answer_to_a_date_never_written(embedder):
    """A letter about one patient: "What date is his hand therapy session?" is not answered by the date he was admitted,
    however surely that sentence is about him, while "How old is he?" is (text written for this test; a regression
    check of the whole answerer, which also passed before sentences about the referent were preferred)."""
    from qa.generators.extractive import ExtractiveGenerator
    from qa.models import Chunk, Passage
    from qa.settings import Settings

    text = ("Date of birth: 14/06/1959. Thank you for continuing the care of Mr Arthur Pell, a 65-year-old retired "
            "joiner, who was admitted on the evening of 9 April after a fall on wet steps. He will be seen in the "
            "fracture clinic on Tuesday 22 April at 10:40. His stitches are due out on 18 April at Elm Road Surgery.")
    chunk = Chunk(id="c0", doc_id="d0", source="letter.txt", index=0, start=0, end=len(text), text=text)
    pool = (Passage(chunk=chunk, score=1.0, dense_score=0.5),)
    history = ({"role": "user", "content": "When is Arthur Pell's fracture clinic appointment?"},
               {"role": "assistant", "content": "Tuesday 22 April at 10:40."})
    answerer = ExtractiveGenerator(embedder, Settings())
    unsaid = answerer.answer(GenerationRequest("What date is his hand therapy session?",
                                               "What date is Arthur Pell's hand therapy session?", pool, history))
    assert unsaid.abstained, unsaid.answer
    said = answerer.answer(GenerationRequest("How old is he?", "How old is Arthur Pell?", pool, history))
    assert said.short_answer == "65-year-old", (said.answer, said.flags)


_STUDY = [{"role": "user", "content": "How much less likely were walkers to catch a cold?"},
          {"role": "assistant", "content": "18% less likely [1]."}]


@pytest.mark.parametrize("question,answer,says", [
    ("And for night-shift nurses?", "Walkers were 18% less likely to catch a cold, in a study of 2,100 adults.", False),
    ("And for cyclists?", "Cyclists were 12% less likely to catch a cold.", True),
    ("What about swimming?", "Swimming twice a week made people 9% less likely to catch one.", True),
    ("And the year before?", "In the previous winter the figure was 22%.", True),  # a time may be worded any way
    ("And before?", "Previously the figure was 22%.", True),
    ("And the walkers?", "The figure was 18%.", True),  # "walkers" was asked before: nothing new to mention
])
def test_an_ellipsis_answer_must_mention_what_the_ellipsis_names(question, answer, says):
    request = GenerationRequest(question, question, (), _STUDY)
    assert says_ellipsis_subject(request, answer) is says


@pytest.mark.slow
def test_an_ellipsis_about_what_the_documents_never_name_abstains(embedder):
    """"And for shift workers?" after a question a study answers: a figure from the same study about everyone is no
    answer; the figure for the group it names is (text written for this test)."""
    from qa.generators.extractive import ExtractiveGenerator
    from qa.models import Chunk, Passage
    from qa.settings import Settings

    text = ("Walking to the office may cut the risk of catching a cold, according to a study of 2,100 adults in Leeds. "
            "People who walked at least 20 minutes a day were 18% less likely to catch a cold over the winter. "
            "Cyclists were 12% less likely to catch a cold than people who drove.")
    chunk = Chunk(id="c0", doc_id="d0", source="study.txt", index=0, start=0, end=len(text), text=text)
    pool = (Passage(chunk=chunk, score=1.0, dense_score=0.5),)
    answerer = ExtractiveGenerator(embedder, Settings())
    unnamed = answerer.answer(GenerationRequest(
        "And for shift workers?", "How much less likely were shift workers to catch a cold?", pool, tuple(_STUDY)))
    assert unnamed.abstained, unnamed.answer
    named = answerer.answer(GenerationRequest(
        "And for cyclists?", "How much less likely were cyclists to catch a cold?", pool, tuple(_STUDY)))
    assert not named.abstained and "12%" in named.answer, named.answer


def test_what_an_ellipsis_names_may_be_said_in_what_its_answer_is_read_under():
    """An API page names the function in the signature line above the sentence that says what it does."""
    from qa.text import stems

    history = [{"role": "user", "content": "What does jarlib.label_small print?"},
               {"role": "assistant", "content": "A short label [1]."}]
    request = GenerationRequest("And label_large?", "What does jarlib.label_large print?", (), tuple(history))
    assert not says_ellipsis_subject(request, "Print a long label in large type.")
    assert says_ellipsis_subject(request, "Print a long label in large type.", stems("jarlib.label_large(name)¶"))
