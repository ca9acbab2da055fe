"""Is a sentence a question, and is it open or closed?

Counsellors often leave out the question mark, so the decision uses the sentence's shape
(as Dutch grammars describe interrogatives, e.g. the ANS, section 21 on ``vraagzinnen``):

- a wh-question starts with a question word (``wat``, ``hoe``, ``waarom`` …) followed by
  the finite verb: ``Hoe gaat het nu met je`` → **open**;
- a yes/no question starts with the finite verb followed by its subject:
  ``Heb je al met je mentor gepraat`` → **closed**;
- a tag at the end (``…, klopt dat?``, ``…, toch?``) turns a statement into a **closed**
  question;
- a request to tell (``kun je daar meer over vertellen``, ``ik ben benieuwd wat …``) is
  **open**, although its grammar is a yes/no question or a statement.

The word lists come from the rules folder (``vragen.yaml``), the logic from here. Finite
verbs are recognised by the parse (POS VERB/AUX with ``VerbForm=Fin``) *or* the word list,
because the stand-in pipeline tags sentence-initial ``Heb``/``Kun`` as proper nouns.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from qcode.suggest.ruleset import QuestionRules

_MAX_LEAD = 3


def classify_sentence(sent: Span, rules: QuestionRules) -> str | None:
    """Return ``open:<reason>``, ``closed:<reason>``, or None when it is no question."""
    words = [t for t in sent if not (t.is_punct or t.is_space or _is_symbol(t))]
    if not words:
        return None
    has_mark = "?" in sent.text
    lowered = " " + " ".join(t.lower_ for t in words) + " "
    if any(f" {p} " in lowered for p in rules.not_questions) and not has_mark:
        return None
    if not has_mark and sent.text.rstrip().endswith("!"):
        return None  # "Wat ben je al ver gekomen, goed bezig!" exclaims
    first = _skip_lead(words, rules)
    head = words[first]
    after = words[first + 1] if first + 1 < len(words) else None
    prompt = next((p for p in rules.open_prompts if f" {p} " in lowered), None)
    if prompt is not None:
        return f"open:asks to tell '{prompt}'"
    if after is not None and _is_wh(after, rules) and (head.pos_ == "ADP" or head.lower_ in _PREPOSITIONS):
        head, after = after, words[first + 2] if first + 2 < len(words) else None
    if _is_wh(head, rules):
        if head.lower_ == "wat" and after is not None and after.lower_ == "voor":
            return f"open:question word '{head.text} voor'"
        if has_mark or after is None or _is_finite(after, rules):
            return f"open:question word '{head.text}'"
        # "hoe lang speelt dit al", "hoe vaak gebeurt dat": one modifier, then the verb
        third = words[first + 2] if first + 2 < len(words) else None
        if after.pos_ in ("ADJ", "ADV") and third is not None and _is_finite(third, rules):
            return f"open:question word '{head.text} {after.text}'"
        return None
    if _is_finite(head, rules) and after is not None and _subject_follows(head, after, has_mark, rules):
        return f"closed:starts with the verb '{head.text} {after.text}'"
    tag = next((t for t in rules.tags if lowered.rstrip().endswith(" " + t)), None)
    if tag is not None:
        return f"closed:ends with '{tag}'"
    if has_mark:
        last_clause = _last_clause(sent)
        if last_clause and last_clause[0].lower_ in rules.wh_words:
            return f"open:question word '{last_clause[0].text}'"
        if len(words) == 1 and _is_wh(words[0], rules):
            return f"open:question word '{words[0].text}'"
        return "closed:question mark"
    return None


_PREPOSITIONS = frozenset(
    {"met", "bij", "voor", "over", "in", "sinds", "tot", "op", "van", "naar", "aan", "door", "om", "uit"}
)
_PERSONAL = frozenset({"je", "jij", "u", "jullie", "hij", "zij", "ze", "we", "wij"})
_IMPERSONAL_VERBS = frozenset({"is", "klopt", "lukt", "gaat", "helpt", "werkt", "was", "wordt"})


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
