"""The default answerer without an LLM: the best verbatim sentence or clause of the retrieved passages, cited."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from typing import Callable, Iterator, Sequence

import numpy as np

from qa.abstain import AbstainPolicy, Evidence
from qa.answer_types import AnswerType, count_matches, names_in, offers
from qa.bylines import asks_author, byline_reply, is_byline, text_before
from qa.comparison import about_two_things, compare, judge_pair
from qa.compose import Composed, Evidence as Sentence, compose, is_bridge_question, with_full_name
from qa.follow_on import with_what_answers
from qa.conversation import code_names
from qa.embedding import Embedder
from qa.entities import asked_entities, asked_sentence, cross_query, unknown_asked
from qa.generate import GenerationRequest, abstention, wanted_answer
from qa.generators.spans import (Span, asked_before, candidate_spans, cross_reading, document_stems, headed_reading, openings,
                                previous_answer, stands_for_document)
from qa.generators.preference import names_what_is_asked, preferred_order
from qa.generators.typed import (about_the_referent_first, carried_answer, known_names, of_the_asked_type,
                                 of_the_asked_version, at_the_time, said_before,
                                 statements_if_asked, typed_text, with_release_heading, without_mail_headers)
from qa.generators.weights import (SentenceContext, entity_weights, lent_by_lead, question_weights,
                                  says_nothing_new, topic_stems, topical_overlap)
from qa.models import Answer
from qa.relation import (RELATION_MARGIN, answer_repeats_conversation, asked_relation, name_words,
                         names_the_asked_one, only_repeats_conversation, said, says_asked_life_event, says_asked_relation,
                         says_asked_title,
                         says_ellipsis_subject, says_the_opposite, unnamed_in_yes_or_no)
from qa.selection import Candidate, Selector
from qa.settings import Settings
from qa.speakers import speaker_reply
from qa.statements import asserts
from qa.tables import code_to_fix, defined_term, defines
from qa.text import clauses, content_stems, meanings, spelling, stem, stems, without_lifespan
from qa.verify import VectorCache, Verification, verify
from qa.versions import ENTRY_LINE, entry_name, of_the_latest_release

SHORTLIST = 12  # candidates whose meaning is compared with the question's; the rest lose on shared terms alone
# The cross-encoder reads the sentences of the best passages only (latency: one short pair per sentence), and
# the spans of its best few sentences join the shortlist even when they share few words with the question.
CROSS_PASSAGES = 3
CROSS_SENTENCES = 24
CROSS_SHORTLIST = 4
PAIRED = 0.9  # a sentence read with the one before it counts a little less than one naming what was asked itself
CROSS_CACHE = 4096  # (query, sentence) scores kept
LACKS_RELATION = "answer-lacks-the-asked-relation"
NAMES_THE_ASKED = "answer-names-whom-the-question-names"
RELATION_RUNNERS_UP = 3  # candidates tried, in the selector's order, when the chosen one lacks the asked relation


class ExtractiveGenerator:
    """Scores each retrieved sentence and clause by meaning, shared terms and answer type; abstains when unsure."""

    name = "extractive"

    def __init__(self, embedder: Embedder, settings: Settings, policy: AbstainPolicy | None = None,
                 vectors: VectorCache | None = None, cross_encoder=None, selector: Selector | None = None) -> None:
        self.embedder = embedder
        self.settings = settings
        self.policy = policy or AbstainPolicy.default(settings)
        self.selector = selector or Selector.load()  # None: rank by the policy's confidence
        self.vectors = vectors or VectorCache(embedder)
        self._cross = cross_encoder
        self._cross_ready = cross_encoder is not None or not settings.answer_rerank
        self._cross_provider: Callable[[], object] | None = None
        self._cross_lock = threading.Lock()
        self._cross_cache: OrderedDict[tuple[str, str], float] = OrderedDict()

    def use_cross_encoder(self, provider: Callable[[], object]) -> None:
        """Take the cross-encoder from `provider` (DocQA shares the retriever's) instead of loading another copy."""
        self._cross_provider = provider

    @property
    def cross_encoder(self):
        """The cross-encoder scoring candidate sentences (`score(query, texts)`), or None when it is off or missing."""
        if not self._cross_ready:
            from qa.onnx_models import load_cross_encoder  # only when first needed: onnxruntime is slow to import

            with self._cross_lock:
                if not self._cross_ready:
                    self._cross = self._cross_provider() if self._cross_provider else load_cross_encoder(self.settings)
                    self._cross_ready = True
        return self._cross

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, name: str = "extractive") -> ExtractiveGenerator:
        return cls(embedder, settings)

    def generate(self, request: GenerationRequest) -> Iterator[str | Answer]:
        answer = self.answer(request)
        yield answer.answer
        yield answer

    def answer(self, request: GenerationRequest) -> Answer:
        if (byline := byline_reply(request, self.vectors, self.name)) is not None:
            return byline
        if (speaker := speaker_reply(request, self.vectors, self.name)) is not None:
            return speaker  # "Who said that?": whom the passage attributes the last answer's quotation to
        ranked = self.ranked(request)
        if isinstance(ranked, Answer):
            return ranked
        choices, score = ranked
        about = about_the_referent_first(request, choices)
        first = preferred_order(request, about, self.policy.threshold)
        span, evidence, _ = first[0]
        if self.policy.abstain(evidence, score):
            return abstention(request, self.policy.reason(evidence, score), score)
        reply = self.reply(request, span, score, runner_up=about[0] is not choices[0])
        if reply.flags not in ((f"abstained:{LACKS_RELATION}",), (f"abstained:{NAMES_THE_ASKED}",)):
            return reply  # else the sentence lacks what was asked or names no one new: a runner-up may not
        tried = {span.sentence}  # runners-up are other sentences: a clause of the failed one fails the same way
        others = [c for c in first[1:] if c[0].sentence not in tried and not tried.add(c[0].sentence)]
        for other, other_evidence, other_score in others[:RELATION_RUNNERS_UP]:
            if not self.policy.abstain(other_evidence, other_score):
                alternative = self.reply(request, other, score, runner_up=True)
                if not alternative.abstained:
                    return alternative
        return reply

    def reply(self, request: GenerationRequest, span: Span, score: float, runner_up: bool = False) -> Answer:
        """The answer shaped from a span, or the abstention when its checks fail. A confidence well above the
        threshold waives the check that the chosen span says the asked relation; a runner-up must say all of it."""
        if wanted_answer(request).kind == "version":
            request = with_release_heading(request, span)
        checked, short = self.shaped(request, span)
        if not checked.supported:  # cannot happen for a verbatim span unless the passage is garbled
            return abstention(request, "span-not-verifiable", score)
        # A "Yes"/"No" read off a sentence that never says the asked relation ("compensate") is a guess, however
        # close the sentence is otherwise.
        sure = not runner_up and score >= self.policy.threshold + RELATION_MARGIN and (
            wanted_answer(request).kind != "yesno" or about_two_things(request.question))  # judged per side
        topic = topic_stems(request.passages, span)
        if says_the_opposite(request, checked.text) or \
                not sure and not says_asked_relation(request, checked.text, topic, fully=runner_up) or not \
                says_asked_life_event(request, checked.text) or not \
                says_asked_title(request.question, checked.text, topic) or not \
                says_ellipsis_subject(request, checked.text, topic | stems(span.previous)):
            return abstention(request, LACKS_RELATION, score)
        if unnamed_in_yes_or_no(request, f"{span.lead} {checked.text}"):
            return abstention(request, "yes-or-no-not-about-the-asked-entity", score)
        if (named := names_the_asked_one(request, short or span.sentence)) or only_repeats_conversation(
                request, short, given := previous_answer(request.history)) or \
                not short and answer_repeats_conversation(request, checked.text, given):
            return abstention(request, NAMES_THE_ASKED if named else "answer-only-repeats-the-conversation", score)
        return Answer(
            question=request.question, answer=checked.text, abstained=False, citations=checked.citations,
            passages=request.passages, query=request.query, generator=self.name, confidence=round(score, 4),
            flags=checked.flags, short_answer=short,
        )

    def shaped(self, request: GenerationRequest, span: Span) -> tuple[Verification, str | None]:
        """The verified answer text (a short answer, then the whole sentence(s) it comes from, cited) and
        the short answer. A composed answer that the verifier does not fully support falls back to the bare sentence.
        """
        wanted = wanted_answer(request)
        pool = [Sentence(s.passage, s.start, s.end, s.sentence) for s in candidate_spans(request.passages)
                if s.text == s.sentence]
        sentence = next((e for e in pool if e.passage == span.passage and e.start <= span.start and span.end <= e.end),
                        Sentence(span.passage, span.start, span.end, span.sentence))
        lead = next((e for e in pool if e.passage == span.passage and e.text == span.lead), None) if span.lead else None
        if span.lead and lead is None and ENTRY_LINE.match(span.lead) and (at := (chunk := request.passages[
                span.passage].chunk).text.rfind(span.lead, 0, span.start - chunk.start)) >= 0:  # "--json-lines¶"
            lead = Sentence(span.passage, chunk.start + at, chunk.start + at + len(span.lead), span.lead)
        own, carried = asked_entities(request)
        titles = {i: p.chunk.title for i, p in enumerate(request.passages) if p.chunk.title}
        composed = (compare(request.question, pool, titles) if wanted.kind == "comparison" else None) or \
            (judge_pair(request.question, pool, titles) if wanted.kind == "yesno" else None) or \
            compose(request.question, wanted, sentence, span.text, pool, own or carried,
                    lambda texts: list(self.vectors.embed(list(texts)) @ self.vectors.query(request.question)),
                    openings(request.passages), known=said_before(request),
                    titles=titles, lead=lead, names=known_names(request))
        if (carried := carried_answer(request, span, wanted)) and (wanted.kind == "version" or wanted.family == "number"
                                                                   or not composed.short):  # "1.2.2", "Marcus Lindqvist"
            composed = Composed(carried[0], composed.sentences, short_passage=carried[1])  # a table's "24,915"
        if lead is not None and composed.sentences == (sentence,):  # "It stands 38 metres tall": say what "it" is
            composed = Composed(entry_name(request.question, lead.text) or composed.short, (lead, sentence))
        composed = with_what_answers(composed, sentence, pool, request.passages, wanted, request.question)
        if wanted.kind == "person" and composed.short:  # "Kemi asked for ...": the attendee list says who Kemi is
            composed = with_full_name(composed, request.passages)
        checked = verify(composed.text(), request.passages, self.vectors)
        if checked.supported and not checked.unsupported_sentences:
            return checked, composed.short if composed.short and checked.text.startswith(composed.short) else None
        return verify(f"{span.sentence} [{span.passage + 1}]", request.passages, self.vectors), None

    def best(self, request: GenerationRequest) -> tuple[Span, Evidence, float] | Answer:
        """The chosen candidate span with its evidence and the answer's confidence, or an early abstention."""
        ranked = self.ranked(request)
        return ranked if isinstance(ranked, Answer) else (ranked[0][0][0], ranked[0][0][1], ranked[1])

    def ranked(self, request: GenerationRequest) -> tuple[list[tuple[Span, Evidence, float]], float] | Answer:
        """The candidate spans in the order the selector (when fitted) prefers them, and the answer's confidence:
        the policy's best score over all candidates, as whether the passages answer at all is a separate question
        from which sentence does. Or an abstention decided before scoring."""
        scored = self.candidates(request)
        if isinstance(scored, Answer):
            return scored
        confidence = max(score for _, _, score in scored)
        if self.selector is None:
            preference = [score for _, _, score in scored]  # the first of equals, as ranked by shared terms
        else:
            preference = list(self.selector.scores([as_candidate(s, e) for s, e, _ in scored]))
        order = sorted(range(len(scored)), key=lambda i: -preference[i])  # stable: the first of equals first
        return [scored[i] for i in order], confidence

    def candidates(self, request: GenerationRequest) -> list[tuple[Span, Evidence, float]] | Answer:
        """Every shortlisted span with its evidence and score (calibration replays these), or an abstention
        decided before any scoring. Returned per call: one generator answers concurrent questions."""
        wanted = wanted_answer(request)
        spans = _answering_spans(request, wanted)
        if isinstance(spans, Answer):
            return spans
        own, carried = asked_entities(request)
        typed = wanted.kind is not None and wanted.strict
        weights = question_weights(request, spans)
        total = sum(weights.values()) or 1.0
        name_weights = entity_weights(request, own, carried)
        asked = [stems(e) if "-" in e else {stem(e)} for e in (own or carried)]  # "DH-20": each part, as texts are read

        def about_asked(span: Span, document: bool = False) -> bool:
            """A quantity sits in a span naming what was asked about (the range of *which* missile), or a carried topic
            in the sentence before ("...Python. I worked on it for a year"); failing all, in the document's name."""
            text = stems(span.text) | stems(span.lead) | stems(span.heading) | stems(span.block) | \
                (set() if own else stems(span.previous))
            stands_for = stands_for_document(span.sentence)  # "The company reported pre-tax profit of £97m"
            text |= document_stems(request.passages, span.passage, opening=document) if document or stands_for else set()
            return not asked or any(parts <= text for parts in asked)

        if typed and wanted.family == "number":
            # A guide to the Tidyo says "leave the robot on its dock for at least 5 hours" naming nothing else
            named = {s for s in spans if about_asked(s)}
            spans = [s for s in spans if s in named or not names_in(s.sentence) and about_asked(s, document=True)] \
                if named else [s for s in spans if about_asked(s, document=True)]
            if not spans:
                return abstention(request, "no-answer-about-the-asked-entity")
        spans = at_the_time(request, spans)

        def lexical(span: Span) -> tuple[float, float]:
            # "(1935 – 2001)" says born and died to a date question only
            read = stems if wanted.family == "date" else (lambda text: stems(without_lifespan(text)))
            own_stems = read(span.text) | stems(lent_by_lead(span))
            said_here = read(span.sentence) | stems(lent_by_lead(span))
            sentence_stems = said_here | stems(asked_before(span))
            own_meant, sentence_meant = meanings(own_stems), meanings(said_here)  # "spend" counts as "budget"
            overlap = topical_overlap(weights, said_in=lambda t: said(t, own_stems, own_meant),
                                      topic=topic_stems(request.passages, span))
            context = sum(w for t, w in weights.items() if said(t, sentence_stems, sentence_meant)) / total
            named_here = own_stems | stems(span.heading) | stems(span.block)  # notes name their topic once, above
            if stands_for_document(span.sentence):  # "The company reported ...": the company the story is about
                named_here |= document_stems(request.passages, span.passage)
            share = (sum(w for e, w in name_weights.items() if e in named_here) / sum(name_weights.values())
                     if name_weights else 1.0)
            return max(overlap, 0.9 * context), share

        shortlist, cross, sims = self._shortlist(request, [(span, *lexical(span)) for span in spans])
        named = own or carried or code_names(request.query)
        context = SentenceContext(asked_relation(request, own), [name_words(e) for e in named],
                                  defined_term(request.question) or code_to_fix(request.question, request.query))
        read = self._with_the_sentence_before(request, [s for s, _, _ in shortlist], cross, context, wanted)
        scored = []
        for (span, overlap, share), sim in zip(shortlist, sims):
            evidence = replace(_evidence(span, float(sim), overlap, share, wanted, typed, request, read(span)),
                               **context.of(span))
            scored.append((span, evidence, span_score(self.policy, evidence, span)))
        return scored

    def _with_the_sentence_before(self, request: GenerationRequest, spans: list[Span], cross: dict[str, float],
                                  context: SentenceContext, wanted: AnswerType) -> Callable[[Span], float | None]:
        """The cross-encoder's score of each span, or of it read after the sentence before when only that one names
        what was asked: "Depending on the assist mode, most riders get 40 to 110 km." after "The Commute 7 has a
        504Wh battery." is the Commute 7's range only to a reader of both. Only for a question asking for a quantity or
        a date, or for a reason ("The Victorian iron bridge was shut after inspectors found corrosion"), that the sentence
        before does not give (when it does, the pair scores for it; for "who" the pair lost dev answers too)."""
        measured = bool(cross) and (wanted.strict and wanted.family in ("number", "date") or wanted.kind == "reason")
        pairs = {span: replace(span, sentence=f"{span.previous} {span.sentence}") for span in spans if measured and
                 span.previous and context.of(span)["context"] and not is_bridge_question(request.question)
                 and not offers(span.previous, wanted, request.question)}
        paired = self.cross_scores(f"{cross_query(request)} {spelling(request.question)}".strip(), list(pairs.values()),
                                   shortlist=list(pairs.values())) if pairs else {}

        def read(span: Span) -> float | None:
            alone = cross.get(cross_reading(span))
            if names_what_is_asked(request.question, span.text):  # "as the ferry, the MV Saint Odhran, carries"
                alone = max(alone or 0.0, PAIRED)  # the cross-encoder misses an apposition inside a long sentence
            return max(alone or 0.0, PAIRED * paired[cross_reading(pairs[span])]) if span in pairs else alone
        return read

    def _shortlist(self, request: GenerationRequest, lexed: list[tuple[Span, float, float]]
                   ) -> tuple[list[tuple[Span, float, float]], dict[str, float], np.ndarray]:
        """The spans best on shared terms plus those the cross-encoder likes best, with the cross-encoder's
        scores and each shortlisted span's embedding similarity to the question (and to the standalone query)."""
        lexed = sorted(lexed, key=lambda item: item[1] + 0.3 * item[2], reverse=True)
        shortlist = lexed[:SHORTLIST]
        asked = cross_query(request)
        query = f"{asked} {spelling(request.question)}".strip()
        cross = self.cross_scores(query, [span for span, _, _ in lexed], shortlist=[s for s, _, _ in shortlist])
        if cross and (headed := {r: h for s, _, _ in lexed if (r := cross_reading(s)) in cross and (h := headed_reading(s, request.passages[s.passage].chunk.title))}):
            under = self.scored(query, list(headed.values()))  # "Date: 22 May" says whose date under "YOUR APPOINTMENT"
            cross = {r: max(score, under[headed[r]]) if r in headed else score for r, score in cross.items()}
        # The question without its set-up sentence ("I want to drain it ...") or its carried terms may read clearer
        for bare in {b for b in (asked_sentence(asked), asked.partition("?")[0].strip() + "?") if cross and
                     b != asked.strip() and len(content_stems(b)) >= 2}:
            alone = self.cross_scores(bare, [span for span, _, _ in lexed], shortlist=[s for s, _, _ in shortlist])
            cross = {reading: max(score, alone.get(reading, 0.0)) for reading, score in cross.items()}
        if cross:
            best_sentences = set(sorted(cross, key=cross.__getitem__, reverse=True)[:CROSS_SHORTLIST])
            shortlist += [item for item in lexed[SHORTLIST:] if cross_reading(item[0]) in best_sentences]
        vectors = self.vectors.embed([span.text for span, _, _ in shortlist])
        sims = vectors @ self.vectors.query(request.question)
        if request.query != request.question:
            sims = (sims + vectors @ self.vectors.query(request.query)) / 2
        return shortlist, cross, sims

    def cross_scores(self, query: str, spans: Sequence[Span], shortlist: Sequence[Span] = ()) -> dict[str, float]:
        """Cross-encoder relevance in (0, 1) of each sentence (read with its lead) of the best passages and of
        the shortlisted spans, keyed by that reading; {} without a cross-encoder."""
        if self.cross_encoder is None:
            return {}
        readings = list(dict.fromkeys([cross_reading(s) for s in shortlist] +
                                      [cross_reading(s) for s in spans if s.passage < CROSS_PASSAGES]))
        return self.scored(query, readings[: max(CROSS_SENTENCES, len(shortlist))])

    def scored(self, query: str, readings: list[str]) -> dict[str, float]:
        """The cross-encoder's relevance in (0, 1) of each reading to the query, from the cache where it was read."""
        model = self.cross_encoder
        with self._cross_lock:
            known = {r: self._cross_cache[(query, r)] for r in readings if (query, r) in self._cross_cache}
        fresh = [r for r in readings if r not in known]
        logits = np.asarray(model.score(query, fresh), dtype=np.float64) if fresh else np.zeros(0)
        known.update(zip(fresh, (1.0 / (1.0 + np.exp(-logits))).tolist()))
        with self._cross_lock:  # a chat asks again (regenerate, the same question in a new thread): no second pass
            for r in fresh:
                self._cross_cache[(query, r)] = known[r]
            while len(self._cross_cache) > CROSS_CACHE:
                self._cross_cache.popitem(last=False)
        return known


def _answering_spans(request: GenerationRequest, wanted: AnswerType) -> list[Span] | Answer:
    """The spans of the passages that could answer at all (of the asked type, by the asked speaker, a statement for
    a yes/no question), or the abstention when none can."""
    spans = candidate_spans(request.passages)
    if not spans:
        return abstention(request, "no-passages")
    if unknown_asked(request.question, request.passages):
        return abstention(request, "question-names-unknown-entity")
    spans = statements_if_asked(request, without_mail_headers(request, spans))
    if not spans:
        return abstention(request, "no-statement-by-the-asked-speaker")
    if wanted.kind == "yesno":  # a sentence that asks, or reports a question, answers neither way
        spans = [s for s in spans if asserts(s.sentence)]
        if not spans:
            return abstention(request, "no-statement-answers-yes-or-no")
    # "What does E7 mean?", "How do I fix it?" about E7: its line in the codes table, if any says it
    if term := defined_term(request.question) or code_to_fix(request.question, request.query):
        spans = [s for s in spans if defines(s.sentence, term)] or spans
    if wanted.kind != "date":  # a dated release heading says when, nothing else
        spans = [s for s in spans if s.sentence != s.release]
    if wanted.kind not in ("yesno", "comparison"):
        spans = [s for s in spans if not says_nothing_new(request, s)] or spans
    if wanted.kind not in (None, "role") and not asks_author(request.query):  # "Who joined first?": no byline's
        spans = [s for s in spans if not is_byline(s.sentence, text_before(request.passages[s.passage].chunk.text, s.sentence))]
    if wanted.kind is not None and wanted.strict:
        spans = of_the_asked_type(request, wanted, spans)
        if not spans:
            return abstention(request, "no-answer-of-the-asked-type")
    spans = of_the_asked_version(request.question, spans, request.query)
    spans = [s for s, ok in zip(spans, of_the_latest_release(request.query, [s.release for s in spans])) if ok]
    return spans or abstention(request, "no-answer-about-the-asked-version")


def as_candidate(span: Span, evidence: Evidence) -> Candidate:
    return Candidate(span.text, span.text != span.sentence, bool(span.lead), evidence)


def _evidence(span: Span, similarity: float, overlap: float, share: float, wanted: AnswerType, typed: bool,
              request: GenerationRequest, cross: float | None = None) -> Evidence:
    _, of_noun = count_matches(span.text, wanted.noun) if wanted.kind == "count" else (False, False)
    return Evidence(
        similarity=similarity, overlap=overlap,
        type_ok=offers(typed_text(span, wanted, request.question), wanted, request.question,
                       located=not is_bridge_question(request.question), known=known_names(request)),
        typed_question=typed, passage_rank=span.passage, dense=request.passages[span.passage].dense_score, entity_share=share,
        ambiguous=typed and _ambiguous(span.text, wanted, request.question), noun_match=of_noun, cross=cross,
    )


def span_score(policy: AbstainPolicy, evidence: Evidence, span: Span) -> float:
    """The policy's confidence, nudged towards shorter spans when two are otherwise equal."""
    return policy.score(evidence) - 0.0004 * len(span.text.split())


def _ambiguous(text: str, wanted: AnswerType, question: str) -> bool:
    parts = clauses(text)
    return len(parts) > 1 and sum(1 for a, b in parts if offers(text[a:b], wanted, question)) > 1
