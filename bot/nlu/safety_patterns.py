"""The crisis and emergency language the safety layer catches, written as data.

Each pattern is a space-separated list of token tests. Words are compared by their canonical form
(the lookup lemma after the spelling fixes below), so "killing" matches kill:
  word        the token is that word          a|b|c     the token is one of them
  @set        the token is in WORD_SETS[set]  _         any one token
  !a|b        the token is none of them       suffix ?  the token may be absent
  =a|b        the token is exactly this surface form (where the lemma would merge "overdosed" into "overdose")
  #           the token is a number
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Tuple

CRISIS = "crisis"
MEDICAL_EMERGENCY = "medical_emergency"

# Whole-word rewrites applied before tokenising: SMS shorthand, missing apostrophes, common misspellings.
SPELLING_FIXES: Dict[str, str] = {
    "wanna": "want to", "wana": "want to", "gonna": "going to", "gunna": "going to", "gona": "going to",
    "tryna": "trying to", "gotta": "got to", "finna": "going to",
    "kms": "kill myself", "kmss": "kill myself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    "im": "i am", "ive": "i have", "ill": "i will", "dont": "do not", "cant": "can not", "wont": "will not",
    "isnt": "is not", "doesnt": "does not", "didnt": "did not", "wouldnt": "would not", "couldnt": "could not",
    "aint": "am not", "hes": "he is", "shes": "she is", "theyre": "they are", "whats": "what is",
    "thats": "that is", "theres": "there is", "idk": "i do not know", "u": "you", "ur": "your", "r": "are",
    "bc": "because", "cuz": "because", "thinkin": "thinking", "endin": "ending", "tryin": "trying",
    "killin": "killing", "goin": "going", "nothin": "nothing", "livin": "living", "hurtin": "hurting",
    "suicidel": "suicidal", "sucidal": "suicidal", "suicidle": "suicidal", "suicdal": "suicidal",
    "suisidal": "suicidal", "suicidial": "suicidal", "sucidle": "suicidal", "suicidaL": "suicidal",
    "sucide": "suicide", "suiside": "suicide", "suicde": "suicide", "suicid": "suicide", "sucicide": "suicide",
    "kil": "kill", "kiling": "killing", "myslef": "myself", "mysefl": "myself", "myselfe": "myself",
    "meself": "myself", "selfharm": "self harm", "self-harm": "self harm", "od'd": "overdosed",
    "od'ed": "overdosed", "oded": "overdosed", "o.d.'d": "overdosed", "offing": "killing",
    "bout": "about", "cudnt": "could not", "wudnt": "would not", "nvr": "never",
}

# Canonical forms for tokens whose lookup lemma is not the word people mean.
CANONICAL_OVERRIDES: Dict[str, str] = {
    "ca": "can", "wo": "will", "'ll": "will", "'m": "be", "m": "be", "'re": "be", "'s": "be",
    "n't": "not", "nt": "not", "gon": "go", "na": "to", "dying": "die", "better": "better",
}

NEGATIONS: FrozenSet[str] = frozenset({"not", "never", "no", "without"})
# "can't stop thinking about it" affirms rather than denies.
NEGATION_CANCELLERS: FrozenSet[str] = frozenset({"stop", "help", "quit"})
# A denial only covers its own clause: "I'm not sure, I want to die" is not a denial.
CLAUSE_BREAKS: FrozenSet[str] = frozenset({".", ",", ";", "!", "?", "but", "though", "however", "and", "so",
                                           "because", "i"})

# Words that place an emergency word in the past ("my grandpa died of a heart attack years ago").
HISTORY_CONTEXT: FrozenSet[str] = frozenset({
    "year", "history", "childhood", "kid", "child", "past", "ever", "anniversary",
    "grandpa", "grandma", "grandfather", "grandmother", "die",
})

# Words that make a bare mention of suicide a question about research rather than a disclosure.
RESEARCH_CONTEXT: FrozenSet[str] = frozenset({
    "research", "study", "studies", "paper", "article", "class", "project", "statistic", "statistics",
    "prevention", "rate", "rates", "data", "evidence", "literature", "trial", "trials", "journal",
})

WORD_SETS: Dict[str, Tuple[str, ...]] = {
    "self": ("myself", "himself", "herself", "themselves", "themself", "ourselves"),
    "harm": ("kill", "hurt", "harm", "shoot", "stab", "strangle", "murder", "choke", "attack", "cut", "burn",
             "hang", "off", "drown", "poison"),
    "harm_others": ("kill", "hurt", "harm", "shoot", "stab", "strangle", "murder", "choke", "attack", "poison"),
    "intend": ("want", "go", "will", "plan", "try", "threaten", "need", "mean", "decide", "wish", "gonna"),
    "person": ("him", "her", "them", "someone", "somebody", "everyone", "everybody", "people", "anyone",
               "anybody"),
    "relation": ("ex", "wife", "husband", "partner", "boyfriend", "girlfriend", "kid", "son", "daughter",
                 "baby", "child", "mom", "mother", "dad", "father", "brother", "sister", "boss", "neighbor",
                 "neighbour", "family", "roommate", "stepdad", "stepmom", "coworker", "abuser", "friend",
                 "sergeant", "manager", "uncle", "aunt", "cousin", "spouse"),
    "stranger": ("guy", "man", "woman", "person", "dude", "bitch", "bastard", "asshole", "prick"),
    "determiner": ("the", "that", "this", "my", "his", "her", "their", "our"),
    "want": ("want", "wish", "hope", "wan", "pray", "like"),
    "pill": ("pill", "med", "medication", "medicine", "tablet", "xanax", "oxy", "oxycodone", "percocet",
             "vicodin", "tylenol", "benadryl", "sleeping", "valium", "klonopin", "ambien", "seroquel",
             "fentanyl", "heroin", "insulin", "ativan", "adderall", "antidepressant", "opioid", "trazodone",
             "sertraline", "zoloft", "prozac", "lexapro", "wellbutrin", "lithium", "gabapentin", "tramadol",
             "morphine", "percs", "bar", "norco", "melatonin", "ibuprofen", "aspirin"),
    "quantity": ("bottle", "bunch", "handful", "lot", "all", "whole", "box", "pack", "everything"),
    "weapon": ("gun", "pistol", "rifle", "knife", "blade", "shotgun", "revolver", "firearm", "razor", "weapon",
               "machete", "bat"),
    "height": ("bridge", "roof", "ledge", "building", "cliff", "overpass", "balcony", "window", "edge"),
    "jump": ("jump", "throw", "leap", "fall"),
    "loved": ("kid", "kids", "wife", "husband", "family", "mom", "dad", "mother", "father", "son",
              "daughter", "children", "parent", "partner", "sister", "brother", "girlfriend", "boyfriend"),
    "subject": ("he", "she", "they", "i", "someone", "somebody"),
    "unconscious": ("unconscious", "unresponsive", "limp", "lifeless"),
    "obstacle": ("tree", "wall", "pole", "traffic", "train", "truck", "river", "lake", "barrier"),
    "water": ("ocean", "sea", "lake", "river", "traffic", "water"),
    "means_verb": ("jump", "jumping", "hang", "hanging", "overdose", "overdosing", "drown", "drowning",
                   "shoot", "shooting", "die", "dying", "death", "suicide", "end", "ending"),
    "hedge": ("like", "about", "around", "almost", "over", "maybe", "nearly", "probably", "least"),
    "swelling_part": ("throat", "tongue", "face", "lip", "lips", "mouth", "airway"),
    "goodbye": ("goodbye", "farewell", "suicide"),
    "message": ("message", "note", "letter", "post", "text", "video", "email"),
}


@dataclass(frozen=True)
class SafetyRule:
    """A group of patterns with one label; negatable rules yield to a denial just before them."""

    name: str
    label: str
    patterns: Tuple[str, ...]
    negatable: bool = False
    unless_research: bool = False
    unless_history: bool = False


SAFETY_RULES: Tuple[SafetyRule, ...] = (
    SafetyRule("suicide_mention", CRISIS, (
        "suicide|suicidal|suicidality",
    ), negatable=True, unless_research=True),
    SafetyRule("suicidal_disclosure", CRISIS, (
        "be|feel|feeling|get|been so? suicidal",
        "have|having|get|getting suicidal thought|urge|ideation|feeling",
        "think|thinking about|of suicide",
        "commit|attempt suicide",
        "suicide attempt|plan|note",
    ), negatable=True),
    SafetyRule("self_harm", CRISIS, (
        "@harm @self",
        "self harm|harming|injure|injury|mutilate",
        "cut|burn my|his|her? wrist|wrists|arm|arms|leg|legs|thigh|thighs",
        "be|been|keep|start|started cut again?",
        "cut again",
        "hurt|harm @self on purpose",
        "danger to @self",
    ), negatable=True),
    SafetyRule("wish_to_die", CRISIS, (
        "@want to? die",
        "@want i|to be|was|were dead",
        "@want i be|was|were never born",
        "@want i|to just? die",
        "hope i just? die",
        "@want to? not wake up",
        "go to sleep and not|never wake up",
        "hope|wish|want i do not wake up",
        "hope|wish|want i would not wake up",
        "hope|hoping i|to would|will? not|never wake up",
        "@want to? disappear forever",
        "@want it all to? stop for good",
        "@want to be gone",
        "better off dead",
        "better off without me",
        "better off gone",
        "better off with _ _? _? _? than with me",
        "better off if i be|was|were gone|dead",
        "better off if i die|died|disappear",
        "@want to? end it all?",
        "@want to? end my life",
        "@want to just? be dead",
        "rather be dead|gone",
        "rather die",
        "tired|sick of be|being alive",
        "tired|sick of live|living|life",
        "done with life|living",
        "hate my life and|&? @want out",
        "@want out for good",
        "@want out permanently",
        "end my suffering|pain for? good|permanently|forever",
    ), negatable=True),
    SafetyRule("end_life", CRISIS, (
        "end|take my|his|her|their own? life",
        "end it all",
        "go|going|plan|planning|about|ready|want|think|thinking to|about|of? end it",
        "end it tonight|today|now|soon",
        "end|ending thing|things",
        "end my suffering",
        "end everything",
        "check out for good",
        "not|never be around much|by|anymore|for|then|long",
        "not|never be here much? longer|anymore|tomorrow|for",
        "be gone soon|tomorrow|by",
        "will not need that|the|my|an appointment|session i will not be",
        "one of the? 22",
        "22 a day",
    ), negatable=True),
    SafetyRule("no_reason_to_live", CRISIS, (
        "not want to live|exist|continue",
        "not want to wake|go|keep up|on|going|living",
        "not want to be alive|here|around",
        "no point|reason in|to|of live|exist|life|continue|try",
        "no point|reason in|to|of go|keep on|going|living",
        "not see the? point in|of live|life|anything|continue|try",
        "not see the? point in|of go|keep on|going|living",
        "what be the point of|in live|life|anything|try|continue",
        "what be the point of|in go|keep on|going|living",
        "nothing left? to live for",
        "no reason to live|stay|be here",
        "life be not|no worth live|living",
        "not worth live|living",
        "no longer want to live|be here",
        "can not go|keep on|going",
        "can not take it|this anymore",
        "can not do this anymore",
        "no one|nobody would even? notice|care|miss me? if i",
        "would not even? notice|care if i was|were|be gone|dead",
        "burden to my? @loved|everyone|everybody",
        "be a burden",
        "not see a future for me|myself",
        "make|made my peace",
        "no way out",
        "not see a|any way out",
        "way out except|but die|dying|death",
        "not|never keep myself|me safe",
        "keep myself|me safe much|any longer",
        "not safe with|around myself",
        "give|giving away my|his|her stuff|thing|things|belongings",
    )),
    SafetyRule("farewell", CRISIS, (
        "this be my goodbye|farewell",
        "this be goodbye",
        "goodbye forever|world|everyone|everybody|all",
        "bye everyone|everybody|forever|world",
        "tell my @loved i love them|her|him|you",
        "i love you all",
        "my last|final message|goodbye|words",
        "@goodbye @message",
        "post|posted|send|sent|leave|left|write|wrote a goodbye",
        "say|said my goodbye|goodbyes",
        "be say|saying goodbye",
        "text|texted|sent me goodbye|a goodbye",
        "write|wrote|writing a? letter|letters to my? @loved",
        "give|gave|giving away my|his|her|all|everything",
        "give|gave|giving my dog|cat|pet|pets|stuff|thing|belonging away|to",
    )),
    SafetyRule("means", CRISIS, (
        "@pill line up",
        "line up the|my|all? @pill",
        "save|saving|stockpile|stockpiling|hoard|hoarding up? my|the? @pill",
        "look|looking|stare|staring at my @weapon",
        "eat my @weapon",
        "load|loaded my|the|a @weapon",
        "@weapon in my mouth",
        "@weapon to my head",
        "buy|bought a? rope|noose",
        "tie|tied|make|made a noose",
        "stand|standing|sit|sitting on|at the|a @height",
        "think|thinking about|of @means_verb",
        "walk|walking|swim|swimming|drive|driving into the? @water",
        "take|took|get|got|pull|pulled my|the @weapon out",
        "how many of? my|his|her? sleeping? @pill it? would|will|does|to take|kill",
        "look|looked|google|googled|search|searched up? how to die|kill|overdose|hang",
        "@jump off|from the|a|my @height",
        "@jump off|from the|a roof|bridge|building",
        "@jump in front of a|the train|bus|truck|car",
        "step|walk in front of a|the train|bus|truck|car",
        "drive|driving|crash|crashing my? truck|car|bike? into|off a|the @obstacle|road|cliff|bridge",
        "@intend to overdose",
        "think|thinking about overdose|overdosing",
        "overdose on purpose",
        "take all|every my|the|of? @pill",
        "plan|planning how i would|will|to do it",
        "how i would|will do it",
        "when|where i be go to do it",
        "know when|where|how i be go to do it",
    ), negatable=True),
    SafetyRule("other_languages", CRISIS, (
        "=suicidarme|suicidar|suicidio|suicida|matarme|morirme|suicider",
        "=quiero|quisiera =morir",
        "=no =quiero =vivir",
        "=quitarme =la =vida",
        "=veux =mourir",
        "=me =tuer",
    ), negatable=True),
    SafetyRule("harm_others", CRISIS, (
        "@intend to? @harm_others @person",
        "@intend to? @harm_others my|his|her|our @relation",
        "@intend to? @harm_others @determiner @stranger",
        "will|go @harm_others @person",
        "think|thinking about|of @harm_others @person|my",
        "afraid|scared i be|will go? to? @harm_others",
        "@harm_others @person i swear",
        "be going to kill my|his|her @relation",
        "say|said|says he|she be? go to kill @determiner|him|her|them",
        "want|wants @person dead",
    )),
    SafetyRule("overdose", MEDICAL_EMERGENCY, (
        "=overdosed|overdosing",
        "=overdose right now|now",
        "=took|swallowed a|the? whole? @quantity of? my|his|her|the|their? sleeping? @pill",
        "=took|swallowed too many|much !time|money|vacation|off|break|day|week|month|credit|leave",
        "=took|swallowed all my|his|her|the @pill",
        "=took|swallowed|ate @hedge # of my|his|her|the|their",
        "=took|swallowed|ate @hedge # @pill",
        "mix|mixed @pill and alcohol|drink|drinks|booze|beer|wine|vodka",
        "can not stay awake",
        "mix|mixed alcohol|drink|booze and @pill",
        "narcan be not working",
    ), unless_history=True),
    SafetyRule("breathing", MEDICAL_EMERGENCY, (
        "can not breathe|breath",
        "not|barely|stop|stopped breathe|breathing",
        "be not breathing",
        "can not catch my|his|her breath|breathe",
        "choke|choking",
        "throat be? close|closing up?",
        "lip|lips be? turn|turning? blue",
        "@swelling_part be? swell|swelling|swollen",
        "allergic reaction",
        "anaphylaxis|anaphylactic",
        "epipen",
    )),
    SafetyRule("heart", MEDICAL_EMERGENCY, (
        "have|having|get|getting|got|feel|feeling chest pain|pains|pressure|tightness",
        "chest pain|pains|pressure and|right|now",
        "chest really? hurt|hurts|be|feel|feels tight|crushing|heavy|hurt",
        "crushing|severe|sharp|bad chest",
        "have|having a heart attack|stroke",
        "heart attack right? now",
        "arm be numb",
    ), unless_history=True),
    SafetyRule("unconscious", MEDICAL_EMERGENCY, (
        "will|can not wake up",
        "can not wake him|her|them|my",
        "pass out|passed",
        "collapse|collapsed",
        "be|go @unconscious",
        "@unconscious",
        "not respond|responding",
        "keep|kept her|him|them awake",
        "faint|fainted",
        "be on the floor not breathe|breathing|moving",
        "on the floor not|barely breathe|breathing|moving",
    )),
    SafetyRule("seizure", MEDICAL_EMERGENCY, (
        "seizure|seizing|convulse|convulsing|convulsion",
        "shake all over",
    ), unless_history=True),
    SafetyRule("bleeding", MEDICAL_EMERGENCY, (
        "bleeding will|do not stop",
        "bleed|bleeding a lot|heavily|badly|everywhere",
        "lose|losing a lot of blood",
        "cut too deep",
        "blood everywhere",
    )),
    SafetyRule("danger", MEDICAL_EMERGENCY, (
        "@intend to? kill|hurt|shoot|stab me",
        "say|said|says he|she|they be? go to kill|hurt|shoot|stab me",
        "break|breaking in|into",
        "broke in|into",
        "try|trying to break|get in",
        "point|pointing a? @weapon at me",
        "have|has|with a @weapon outside|at|here|in|and",
        "have|has a @weapon",
        "man|guy|someone|somebody with a @weapon",
        "in danger right now",
        "immediate danger",
        "hide|hiding in the closet|bathroom|basement",
        "hold|holding me hostage",
        "door|house|window|outside|me|here with a|his|her @weapon",
        "scared|afraid|fear for my life",
        "i be trapped",
        "fire in my|the house|apartment|building|room",
        "house|apartment|building be on fire",
    )),
)
