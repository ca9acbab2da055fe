"""Is a sentence a question, and is it open or closed? Typed clause by clause.

Counsellors often leave out the question mark, so the decision uses each clause's shape (as
Dutch grammars describe interrogatives, e.g. the ANS, section 21 on ``vraagzinnen``):

- a clause that starts with a question word followed by the finite verb is a direct
  wh-question: ``hoe gaat het nu met je`` → **open**, also as the second clause of a sentence
  (``Als je het haar zou willen vertellen, hoe zou je dat aanpakken?``). A question word
  followed by a subject is an indirect question inside another clause (``heb je nagedacht
  hoe je dit kunt zeggen``) and decides nothing;
- a clause that starts with the finite verb followed by its subject is a yes/no question:
  ``heb je al met je mentor gepraat`` → **closed**;
- a tag at the end (``…, klopt dat?``, ``…, toch?``) turns a statement into a **closed**
  question;
- a request to tell (a tell verb such as ``vertellen``, ``beschrijven``, ``uitleggen`` with
  ``meer``, ``iets``, ``eens`` …) is **open**, whatever modal sits in between (``zou je daar
  wat meer over willen vertellen``), although its grammar is a yes/no question.

Questions the counsellor proposes the client put to someone else (``je zou kunnen vragen wat
hij leuk vindt``) are not the counsellor's questions: :class:`QuestionFinder` skips
third-person questions after such a proposal (see ``proposal_verbs`` in ``vragen.yaml``).

The word lists come from the rules folder (``vragen.yaml``), the logic from here. Finite verbs
are recognised by the parse (POS VERB/AUX with ``VerbForm=Fin``) *or* the word list, because
the stand-in pipeline tags sentence-initial ``Heb``/``Kun`` as proper nouns.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Span, Token

from qcode.suggest.clauses import clause_starts
from qcode.suggest.ruleset import QuestionRules

_MAX_LEAD = 3
_PREPOSITIONS = frozenset(
    {"met", "bij", "voor", "over", "in", "sinds", "tot", "op", "van", "naar", "aan", "door", "om", "uit"}
)
_PERSONAL = frozenset({"je", "jij", "u", "jullie", "hij", "zij", "ze", "we", "wij"})
_IMPERSONAL_VERBS = frozenset({"is", "klopt", "lukt", "gaat", "helpt", "werkt", "was", "wordt"})
THIRD_PERSON = frozenset({"hij", "zij", "ze", "hem", "haar", "die"})


def classify_sentence(sent: Span, rules: QuestionRules, proposing: bool = False) -> str | None:
    """Return ``open:<reason>``, ``closed:<reason>``, or None when it is no question.

    With ``proposing`` (a proposal to ask someone else came before), clauses about a third
    person are passed over, and a sentence made only of them is no question of the counsellor.
    """
    words = _words(sent)
    if not words:
        return None
    has_mark = "?" in sent.text
    if _not_a_question(sent, words, rules, has_mark):
        return None
    clauses = _question_clauses(sent, words, rules, has_mark, proposing)
    if not clauses:
        return None
    words = [t for c in clauses for t in c]
    prompt = _prompt(words, clauses, rules, has_mark)
    if prompt is not None:
        return f"open:asks to tell '{prompt}'"
    verdicts = [
        v for i, c in enumerate(clauses) if (v := _clause_verdict(c, rules, has_mark, _main(sent, c, i)))
    ]
    opened = next((v for v in verdicts if v.startswith("open")), None)
    return opened or (verdicts[0] if verdicts else _fallback(sent, words, rules, has_mark))


def _question_clauses(
    sent: Span, words: list[Token], rules: QuestionRules, has_mark: bool, proposing: bool
) -> list[list[Token]]:
    """The clauses to type. Without a question mark only the sentence's own start can make
    it a question, so the split is for "?" sentences (whose question may sit in a later
    clause), tell-prompts and proposals; after a proposal, third-person clauses drop out."""
    telling = any(t.lower_ in rules.tell_verbs for t in words)
    clauses = _clauses(sent) if has_mark or proposing or telling else [words]
    if proposing:
        clauses = [c for c in clauses if not any(t.lower_ in THIRD_PERSON for t in c)]
    return clauses


def _prompt(
    words: list[Token], clauses: list[list[Token]], rules: QuestionRules, has_mark: bool
) -> str | None:
    """A fixed open prompt ("ik ben benieuwd") or a tell verb with what to tell."""
    lowered = " " + " ".join(t.lower_ for t in words) + " "
    fixed = next((p for p in rules.open_prompts if f" {p} " in lowered), None)
    if fixed is not None:
        return fixed
    return next(
        (r for i, c in enumerate(clauses) if (r := _tell_prompt(c, clauses[i + 1:], rules, has_mark))),
        None,
    )


def _words(sent: Span) -> list[Token]:
    return [t for t in sent if not (t.is_punct or t.is_space or _is_symbol(t))]


def _not_a_question(sent: Span, words: list[Token], rules: QuestionRules, has_mark: bool) -> bool:
    if has_mark:
        return False
    lowered = " " + " ".join(t.lower_ for t in words) + " "
    if any(f" {p} " in lowered for p in rules.not_questions):
        return True
    return sent.text.rstrip().endswith("!")  # "Wat ben je al ver gekomen, goed bezig!"


def _clauses(sent: Span) -> list[list[Token]]:
    starts = [*clause_starts(sent), sent.end]
    doc = sent.doc
    return [w for a, b in itertools.pairwise(starts) if (w := _words(doc[a:b]))]


def _tell_prompt(
    clause: list[Token], rest: list[list[Token]], rules: QuestionRules, has_mark: bool
) -> str | None:
    """A tell verb with what to tell (``meer``, ``iets``, ``eens`` …) in one clause, or followed
    by a clause that opens with a question word (``kun je me vertellen hoe …``). The verb is
    matched by its form, not its lemma: ``je hebt iets moeilijks verteld`` reports, it does not
    ask. Without a question mark only an imperative that opens the clause asks (``vertel eens``)."""
    lowers = [t.lower_ for t in clause]
    verb = next((t for t in clause if t.lower_ in rules.tell_verbs), None)
    if verb is None:
        return None
    if not has_mark and clause[_skip_lead(clause, rules)].i != verb.i:
        return None
    wh_next = bool(rest) and _is_wh(rest[0][0], rules)
    if not (rules.tell_objects.intersection(lowers) or wh_next):
        return None
    if "of" in lowers[lowers.index(verb.lower_):]:
        return None  # "vertel je het of je ..." asks yes or no
    return " ".join(lowers)[:60]


def _main(sent: Span, clause: list[Token], index: int) -> bool:
    """Does the clause open the sentence, or follow a comma or a coordinator (a conjunct that
    can be a question of its own), rather than sit inside another clause?"""
    if index == 0:
        return True
    before = sent.doc[clause[0].i - 1]
    return before.is_punct or before.lower_ in ("en", "of", "maar")


def _clause_verdict(clause: list[Token], rules: QuestionRules, has_mark: bool, main: bool) -> str | None:
    first = _skip_lead(clause, rules)
    head = clause[first]
    after = clause[first + 1] if first + 1 < len(clause) else None
    if after is not None and _is_wh(after, rules) and (head.pos_ == "ADP" or head.lower_ in _PREPOSITIONS):
        first += 1
        head, after = after, clause[first + 1] if first + 1 < len(clause) else None
    if _is_wh(head, rules):
        return _wh_verdict(clause, first, rules, has_mark and first == 0) if main else None
    if _is_finite(head, rules) and after is not None and _subject_follows(head, after, has_mark, rules):
        return f"closed:starts with the verb '{head.text} {after.text}'"
    return None


_SUBJECT_PRONOUNS = frozenset({"ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie", "het"})
_WH_REACH = 5


def _wh_verdict(clause: list[Token], first: int, rules: QuestionRules, has_mark: bool) -> str | None:
    """A question word opens a direct question when the finite verb follows it before any
    subject pronoun (``wie in je familie weet …``, ``hoe lang speelt dit al``); a subject
    first makes it indirect (``… hoe je dit kunt zeggen``)."""
    head = clause[first]
    rest = clause[first + 1:]
    if has_mark or not rest:
        return f"open:question word '{head.text}'" if has_mark else None
    if head.lower_ == "wat" and rest[0].lower_ == "voor":
        return f"open:question word '{head.text} voor'"
    for position, token in enumerate(rest[:_WH_REACH]):
        if _is_finite(token, rules):
            return f"open:question word '{head.text}'"
        after_preposition = position > 0 and rest[position - 1].pos_ == "ADP"
        if token.lower_ in _SUBJECT_PRONOUNS and not after_preposition:
            return None
    return None


def _fallback(sent: Span, words: list[Token], rules: QuestionRules, has_mark: bool) -> str | None:
    lowered = " " + " ".join(t.lower_ for t in words)
    tag = next((t for t in rules.tags if lowered.rstrip().endswith(" " + t)), None)
    if tag is not None:
        return f"closed:ends with '{tag}'"
    if not has_mark:
        return None
    if len(words) == 1 and _is_wh(words[0], rules):
        return f"open:question word '{words[0].text}'"
    last = _last_clause(sent)
    if last and last[0].lower_ in rules.wh_words:
        return f"open:question word '{last[0].text}'"
    return "closed:question mark"


def _subject_follows(head: Token, after: Token, has_mark: bool, rules: QuestionRules) -> bool:
    """Verb then subject. Without a question mark only a personal pronoun counts (or ``het``
    after a verb like ``klopt``/``lukt``): ``Ga het gewoon proberen`` is an imperative."""
    if after.lower_ not in rules.subjects:
        return False
    if has_mark:
        return True
    return after.lower_ in _PERSONAL or head.lower_ in _IMPERSONAL_VERBS


def _skip_lead(words: list[Token], rules: QuestionRules) -> int:
    """Index of the first word after discourse openers such as ``en``, ``oke``, ``goed``."""
    index = 0
    while index < min(_MAX_LEAD, len(words) - 1) and words[index].lower_ in rules.lead_words:
        index += 1
    return index


def _is_wh(token: Token, rules: QuestionRules) -> bool:
    return token.lower_ in rules.wh_words


def _is_finite(token: Token, rules: QuestionRules) -> bool:
    if token.lower_ in rules.finite_verbs:
        return True
    return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm", [])


def _is_symbol(token: Token) -> bool:
    return token.pos_ == "SYM" or (not token.is_alpha and not token.is_digit and len(token) > 1
                                   and not any(c.isalnum() for c in token.text))


def _last_clause(sent: Span) -> list[Token]:
    """Words after the last comma: ``Je zegt dat je bang bent, waarom?``."""
    commas = [t.i for t in sent if t.text == ","]
    if not commas:
        return []
    return [t for t in sent.doc[commas[-1] + 1 : sent.end] if not t.is_punct and not t.is_space]
