"""E-mail threads saved as text: "I" is the sender of the message a line is in, and header lines answer only
questions about the mail."""

from __future__ import annotations

import pytest

from qa.generators.spans import candidate_spans
from qa.mail import first_person, header_answers, sender_at
from qa.models import Chunk, Passage
from tests.conftest import ingest_text

THREAD = """From: Ruth Okafor <ruth.okafor@mailbox.example>
To: Tomasz Wren <t.wren@postbox.example>
Date: Tue, 14 Oct 2025 09:12
Subject: Re: Allotment open day - stall BOOKED

Hi Tomasz,

Great news. The committee has given us the corner plot for the open day on Saturday 8 November.
I've ordered the gazebo from Hartley's, which comes to £140.

Ruth

> On Mon, 13 Oct 2025 at 18:40, Tomasz Wren wrote:
>
> I paid the £35 pitch fee from the club account this morning, so that part is
> done. Can you sort out the gazebo? I can bring the trestle tables.
>
>> On Mon, 13 Oct 2025 at 08:05, Ruth Okafor wrote:
>>
>> Shall we take a stall at the open day this year?
"""


def test_the_sender_of_a_line_is_the_header_or_attribution_above_it():
    assert sender_at(THREAD, THREAD.index("I've ordered the gazebo")) == "Ruth Okafor"
    assert sender_at(THREAD, THREAD.index("I paid the £35")) == "Tomasz Wren"
    assert sender_at(THREAD, THREAD.index("Shall we take")) == "Ruth Okafor"
    assert sender_at("Minutes of the meeting.\nI opened the meeting at 7pm.", 30) == ""  # no mail: nobody known
    assert first_person("I've ordered the gazebo") and first_person("so I paid it")
    assert not first_person("In 2020 Iran said") and not first_person("It is done")


def test_header_lines_answer_only_questions_about_the_mail():
    subject = "Subject: Re: Allotment open day - stall BOOKED"
    assert not header_answers(subject, "Which plot did they get for the open day?", person=False)
    assert header_answers(subject, "What was the subject of Ruth's email?", person=False)
    assert not header_answers("From: Ruth Okafor", "Which shop is the gazebo from?", person=False)
    assert header_answers("To: Dr Samuel Ofori, Greenhill Surgery", "Who is his GP?", person=True)
    assert header_answers("The committee has given us the corner plot.", "Which plot?", person=False)


def test_spans_know_their_sender_from_the_chunk_or_what_ingest_carried():
    text = "> I paid the £35 pitch fee from the club account this morning, so that part is\n> done."
    chunk = Chunk(id="x", doc_id="d", source="thread.txt", index=2, start=0, end=len(text), text=text,
                  metadata={"sender": "Tomasz Wren"})
    assert {s.sender for s in candidate_spans([Passage(chunk=chunk, score=1.0)])} == {"Tomasz Wren"}


@pytest.fixture
def thread(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "email_thread_open_day.txt", THREAD)


@pytest.mark.slow
def test_who_did_something_the_writer_says_they_did(thread):
    answer = thread.ask("Who paid the pitch fee for the open day stall?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert answer.short_answer == "Tomasz Wren", answer.answer
    assert "I paid the £35 pitch fee" in answer.answer
    assert all(c.text in THREAD for c in answer.citations)
    answer = thread.ask("Which plot did they get for the open day?", generator="extractive")
    assert "Subject:" not in answer.answer
