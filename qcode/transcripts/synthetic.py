"""Synthetic Dutch counselling chats, for benchmarks only.

Benchmarks (import speed, suggestion throughput, analysis on thousands of chats) need volume
that the hand-written sample corpus in ``corpora/klikvoorhulp-sample`` cannot give. The
generator strings together phrases in the study's style so that the text exercises the same
code paths as real material (questions, summaries, emoticons, wrapped lines, silences of more
than three minutes, label variants, a chat running past midnight), while being obviously
artificial: it must never be used as evidence about counselling.

The output contains no personal-data patterns (no long digit runs, phone numbers, postcodes,
addresses): the only digits it writes are times and dates, so the import privacy check passes.
Everything is drawn from the ``random.Random`` passed in, so a seed fixes the output.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

COUNSELLOR = "counsellor"
CLIENT = "client"

_COUNSELLOR_LABELS = ("Online hulpverlener", "Hulpverlener", "online hulpverlener")
_CLIENT_LABELS = ("Hulpvrager", "hulpvrager")
_ASCII_EMOTICONS = (":)", ";-)", ":(", ":D", "xD", "<3", ":P", ":-)")
_EMOJI = ("🙂", "😊", "😢", "👍", "😅", "❤️", "🙈")

_TOPICS: dict[str, tuple[str, ...]] = {
    "schulden": (
        "ik heb een huurachterstand en ik krijg steeds brieven",
        "ik heb schulden bij een webwinkel en nu komt er een incassobureau",
        "mijn telefoonrekening is veel te hoog en ik kan het niet betalen",
    ),
    "thuis": (
        "ik heb elke dag ruzie met mijn vader",
        "mijn moeder en ik kunnen niet meer normaal praten",
        "de nieuwe vriend van mijn moeder bemoeit zich overal mee",
    ),
    "pesten": (
        "ze pesten me op school en in de groepsapp",
        "een paar meiden uit mijn klas negeren me de hele tijd",
        "ik word uitgescholden in de bus naar school",
    ),
    "eenzaamheid": (
        "ik voel me heel alleen sinds ik op kamers woon",
        "ik heb eigenlijk geen vrienden meer",
        "in het weekend zit ik altijd alleen thuis",
    ),
    "school": (
        "ik heb zoveel stress voor mijn examens",
        "ik loop heel erg achter met school",
        "ik durf niet te vertellen dat ik ga blijven zitten",
    ),
    "scheiding": (
        "mijn ouders gaan scheiden en ik moet kiezen waar ik ga wonen",
        "sinds de scheiding zie ik mijn vader bijna niet meer",
        "mijn ouders maken steeds ruzie over mij",
    ),
    "wonen": (
        "ik moet uit huis en ik heb geen plek om te slapen",
        "ik slaap al weken op de bank bij een vriend",
        "mijn huisbaas wil dat ik vertrek",
    ),
}

_OPENINGS = (
    "Hoi NAAM, welkom bij de chat van Klik voor hulp. Waar wil je het over hebben?",
    "Goedenavond, je chat met NAAM HULPVERLENER. Wat kan ik voor je doen?",
    "Hallo, fijn dat je er bent! Vertel maar waar je mee zit.",
    "Welkom bij Klik voor hulp. Je bepaalt zelf waar we het over hebben, waar wil je beginnen?",
)
_GREETINGS = ("hoi", "hallo", "hey", "hoi.", "goedenavond")
_OPEN_QUESTIONS = (
    "Kun je daar iets meer over vertellen?",
    "Sinds wanneer speelt dit?",
    "Wat gebeurt er dan precies?",
    "Hoe voel je je daaronder?",
    "Wat zou je zelf het liefst willen dat er verandert?",
    "Wat heb je zelf al geprobeerd?",
    "Hoe reageren de mensen om je heen?",
    "Wat maakt het zo moeilijk voor je?",
    "Hoe zag een dag eruit waarop het wel goed ging?",
)
_CLOSED_QUESTIONS = (
    "Weet iemand in je omgeving hiervan?",
    "Heb je daar al met iemand over gepraat?",
    "Is dit de eerste keer dat je hierover chat?",
    "Zou je dat deze week willen proberen?",
    "Ben je daar al eens geweest?",
)
_SUMMARIES = (
    "Als ik het goed begrijp, zit je hier al een tijd mee en weet je niet goed hoe je het moet aanpakken. Klopt dat?",
    "Dus als ik het samenvat: het speelt al een tijdje en het houdt je flink bezig. Heb ik dat goed?",
    "Ik lees dat je het vooral lastig vindt om erover te beginnen. Klopt dat?",
)
_COMPLIMENTS = (
    "Wat goed dat je dit zo eerlijk vertelt!",
    "Knap dat je zelf al zoveel hebt geprobeerd.",
    "Dat is een heel goed idee, en je hebt het zelf bedacht!",
    "Ik vind het echt sterk van je dat je hulp zoekt.",
)
_NETWORK_QUESTIONS = (
    "Is er iemand in je omgeving bij wie je terecht kunt, een vriendin, je mentor of een tante?",
    "Weten je ouders hoe je je voelt?",
    "Heb je een mentor op school met wie je dit kunt bespreken?",
    "Is er iemand in je familie die je kan helpen?",
)
_ENCOURAGEMENTS = (
    "Wat zou een eerste kleine stap kunnen zijn die je deze week zelf zet?",
    "Hoe zou je dat zelf willen aanpakken?",
    "Wat heb je nodig om die stap te zetten?",
)
_REFERRALS = (
    "Je kunt ook een afspraak maken bij de huisarts, die kan met je meekijken.",
    "Bij de schuldhulpverlening van de gemeente kunnen ze met je meekijken naar je brieven.",
    "Het maatschappelijk werk in PLAATS kan je face-to-face verder helpen.",
    "Op de website van [INSTELLING 1] staat een gratis online cursus die je kunt volgen.",
)
_FEEDBACK = (
    "Heb je iets aan dit gesprek gehad?",
    "Heb je hier iets aan gehad, NAAM?",
    "Hoe kijk je terug op dit gesprek?",
)
_CLOSINGS = (
    "Tot slot drie vragen: vond je het een prettig gesprek, voel je je geholpen en zou je ons aanraden?",
    "Dankjewel voor het gesprek. Je mag altijd terugkomen!",
    "Heel veel succes, en tot een volgende keer.",
)
_CLIENT_ANSWERS = (
    "dat weet ik eigenlijk niet zo goed",
    "al een paar maanden denk ik",
    "mijn beste vriendin weet het wel een beetje",
    "ik heb het een keer geprobeerd maar toen werd het erger",
    "ik wil gewoon dat het weer normaal wordt",
    "mijn tante misschien, bij haar kan ik altijd terecht",
    "ik durf het niet goed te zeggen tegen mijn ouders",
    "het houdt me echt de hele dag bezig en ik slaap er slecht van",
    "misschien kan ik mijn mentor een mail sturen",
    "ik schaam me er eigenlijk voor",
    "soms gaat het wel, maar meestal niet",
    "ik heb het aan niemand verteld",
    "mijn moeder ziet wel dat er iets is maar ze vraagt niks",
    "vorige week ging het even beter, toen was ik bij mijn oma",
    "ik weet niet waar ik moet beginnen....",
    "ik denk dat ik het wel met mijn zus kan bespreken",
    "dat lijkt me eng maar ik kan het proberen",
    "ik heb al een keer gebeld maar ik durfde niks te zeggen",
    "eigenlijk wil ik vooral dat iemand luistert",
    "als ik eraan denk word ik heel onrustig",
)
_SHORT_REPLIES = ("ja", "nee", "weet niet", "klopt", "ok", "ja wel", "misschien", "oke")
_CLIENT_CLOSINGS = ("ja ja en ja", "doei", "dankjewel!", "ja zeker", "bedankt, doei")


def _counsellor_middle(rng: random.Random) -> str:
    """Pick a counsellor turn for the exploration and strategy part of a chat."""
    pools = (
        _OPEN_QUESTIONS,
        _OPEN_QUESTIONS,
        _CLOSED_QUESTIONS,
        _SUMMARIES,
        _COMPLIMENTS,
        _NETWORK_QUESTIONS,
        _ENCOURAGEMENTS,
        _REFERRALS,
    )
    return rng.choice(rng.choice(pools))


def _client_middle(rng: random.Random, topic: str) -> str:
    """Pick a client turn; now and then a short reply or a topic detail, sometimes an emoticon."""
    roll = rng.random()
    if roll < 0.2:
        text = rng.choice(_SHORT_REPLIES)
    elif roll < 0.35:
        text = rng.choice(_TOPICS[topic])
    else:
        text = rng.choice(_CLIENT_ANSWERS)
    if rng.random() < 0.15:
        text += " " + rng.choice(_ASCII_EMOTICONS + _EMOJI)
    return text


def generate_utterances(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Return ``n`` (role, text) turns of one conversation, role ``counsellor`` or ``client``.

    The shape follows the study's chats: an opening by the counsellor, the client's help
    question, alternating exploration turns (with occasional double client turns), and a
    closing with a feedback question and the end-of-chat questions.

    Args:
        rng: The source of randomness; the same state gives the same turns.
        n: Number of turns wanted (0 gives an empty list).
    """
    if n <= 0:
        return []
    topic = rng.choice(sorted(_TOPICS))
    turns: list[tuple[str, str]] = [(COUNSELLOR, rng.choice(_OPENINGS))]
    if n >= 2:
        turns.append((CLIENT, rng.choice(_GREETINGS)))
    if n >= 3:
        turns.append((CLIENT, rng.choice(_TOPICS[topic])))
    closing = [
        (COUNSELLOR, rng.choice(_FEEDBACK)),
        (CLIENT, rng.choice(("ja echt wel", "ja, best wel", "ja, ik weet nu wat ik ga doen"))),
        (COUNSELLOR, rng.choice(_CLOSINGS)),
        (CLIENT, rng.choice(_CLIENT_CLOSINGS)),
    ]
    n_closing = min(len(closing), max(0, n - len(turns)))
    n_middle = n - len(turns) - n_closing
    role = COUNSELLOR
    used = {text for _, text in turns}
    for _ in range(n_middle):
        for _attempt in range(6):  # avoid repeating a phrase within one chat where possible
            text = _counsellor_middle(rng) if role == COUNSELLOR else _client_middle(rng, topic)
            if text not in used:
                break
        used.add(text)
        double = role == CLIENT and turns[-1][0] != CLIENT and rng.random() < 0.2
        turns.append((role, text))
        if not double:  # otherwise the client sends two messages in a row
            role = CLIENT if role == COUNSELLOR else COUNSELLOR
    turns.extend(closing[len(closing) - n_closing :])
    return turns


def _wrap(rng: random.Random, text: str) -> str:
    """Break a long message once at a space, as the study's export wraps long lines."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(spaces) < 6:
        return text
    cut = rng.choice(spaces[len(spaces) // 3 : 2 * len(spaces) // 3 + 1])
    return text[:cut] + "\n" + text[cut + 1 :]


def generate_chat(rng: random.Random, n_utterances: int, case: str, date: datetime.date) -> str:
    """Return a chat transcript in the study's line format, header block included.

    Replies come 0–2 minutes apart; about one in twelve client replies is a short one after a
    silence of four to seven minutes (the ``Stiltes`` code's three-minute rule). About one long
    message in eight is wrapped onto a continuation line. A chat that starts late simply runs
    past midnight, printed as ``00:0x`` times.

    Args:
        rng: The source of randomness; the same state gives the same chat.
        n_utterances: Number of labelled lines (turns) to write.
        case: The case number written in the ``# casus:`` header.
        date: The chat date written in the ``# datum:`` header.
    """
    counsellor_label = rng.choice(_COUNSELLOR_LABELS)
    client_label = rng.choice(_CLIENT_LABELS)
    with_seconds = rng.random() < 0.1
    clock = datetime.datetime.combine(date, datetime.time(rng.randint(9, 23), rng.randint(0, 59)))
    lines = [
        f"# casus: {case}",
        "# kanaal: chat",
        f"# datum: {date.isoformat()}",
        f"# hulpverlener: HV{rng.randint(1, 12):02d}",
    ]
    for i, (role, text) in enumerate(generate_utterances(rng, n_utterances)):
        if i > 0:
            if role == CLIENT and rng.random() < 1 / 12:
                clock += datetime.timedelta(minutes=rng.randint(4, 7))
                text = rng.choice(_SHORT_REPLIES)
            else:
                clock += datetime.timedelta(seconds=rng.randint(10, 150))
        label = counsellor_label if role == COUNSELLOR else client_label
        space = "" if rng.random() < 0.05 else " "
        stamp = clock.strftime("%H:%M:%S" if with_seconds else "%H:%M")
        if len(text) > 60 and rng.random() < 1 / 8:
            text = _wrap(rng, text)
        lines.append(f"{label}{space}({stamp}): {text}")
    return "\n".join(lines) + "\n"


def write_corpus(
    folder: Path, n_chats: int, seed: int = 0, utterances: tuple[int, int] = (20, 120)
) -> list[Path]:
    """Write ``n_chats`` synthetic chats under ``folder`` and return their paths.

    Chats are grouped one to three per case folder (``casus-0001/chat-2014-01-05.txt``), dated
    a few days apart within a case, so a folder-per-case import sees single and repeated chats.
    The same seed gives byte-identical files.

    Args:
        folder: Output folder; created if missing. Existing files with the same names are
            overwritten.
        n_chats: Number of chat files to write.
        seed: Seed for ``random.Random``.
        utterances: Inclusive range for the number of turns per chat.
    """
    rng = random.Random(seed)
    low, high = utterances
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    case_number = 0
    while len(paths) < n_chats:
        case_number += 1
        case = f"{case_number:04d}"
        case_folder = folder / f"casus-{case}"
        case_folder.mkdir(exist_ok=True)
        day = datetime.date(2013, 6, 1) + datetime.timedelta(days=rng.randint(0, 730))
        for _ in range(min(rng.randint(1, 3), n_chats - len(paths))):
            path = case_folder / f"chat-{day.isoformat()}.txt"
            path.write_text(generate_chat(rng, rng.randint(low, high), case, day), encoding="utf-8")
            paths.append(path)
            day += datetime.timedelta(days=rng.randint(3, 21))
    return paths
