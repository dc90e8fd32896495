"""The crisis and emergency language the safety layer catches, written as data.

Each pattern is a space-separated list of token tests. Words are compared by their canonical form
(the lookup lemma after the spelling fixes below), so "killing" matches kill:
  word        the token is that word          a|b|c     the token is one of them
  @set        the token is in WORD_SETS[set]  _         any one token
  !a|b        the token is none of them       suffix ?  the token may be absent
  =a|b        the token is exactly this surface form (where the lemma would merge "overdosed" into "overdose")
  #           the token is a number        ##        a number of 10 or more, in digits
"""
from __future__ import annotations

import re
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
    "abt": "about", "b": "be", "anymor": "anymore", "evry1": "everyone",
    "every1": "everyone", "evryone": "everyone", "wud": "would", "wuld": "would", "no1": "no one",
    "noone": "no one", "sum1": "someone", "some1": "someone", "2nite": "tonight", "tonite": "tonight",
    "2day": "today", "rly": "really", "rlly": "really", "rn": "right now", "pls": "please", "plz": "please",
    "sewerslide": "suicide", "sewer-slide": "suicide", "suicde": "suicide", "sucidal": "suicidal",
    "swalowed": "swallowed", "swallowd": "swallowed", "sone": "son", "breath": "breathe", "breathin": "breathing",
    "cnt": "can not", "w/o": "without", "dyin": "dying", "thru": "through",
    "nemore": "anymore", "anymo": "anymore", "evrything": "everything", "sry": "sorry", "wnat": "want", "wnt": "want",
    "ctb": "kill myself", "od": "overdose", "od-ing": "overdosing", "oding": "overdosing",
}

# Canonical forms for tokens whose lookup lemma is not the word people mean.
CANONICAL_OVERRIDES: Dict[str, str] = {
    "ca": "can", "wo": "will", "'ll": "will", "'m": "be", "m": "be", "'re": "be", "'s": "be",
    "n't": "not", "nt": "not", "gon": "go", "na": "to", "dying": "die", "better": "better", "'d": "would",
}

NEGATIONS: FrozenSet[str] = frozenset({"not", "never", "no", "without", "nobody", "nothing"})
# "can't stop thinking about it" affirms rather than denies; "no one cares" is no denial either.
NEGATION_CANCELLERS: FrozenSet[str] = frozenset({"stop", "help", "quit", "one", "body", "care", "mind"})
# A denial only covers its own clause: "I'm not sure, I want to die" is not a denial.
CLAUSE_BREAKS: FrozenSet[str] = frozenset({".", ",", ";", "!", "?", "but", "though", "however", "and", "so",
                                           "because", "i", "just", "only"})
# Tokens that end a sentence: questions, past markers and jokes are read within one sentence.
SENTENCE_BREAKS: FrozenSet[str] = frozenset({".", "!", "?", ";", "\n", "..", "..."})

# A sentence that opens with one of these (after a filler) asks a question rather than reports what is happening.
QUESTION_OPENERS: FrozenSet[str] = frozenset({
    "what", "what's", "whats", "how", "why", "when", "where", "who", "which", "is", "are", "am", "was", "were", "do",
    "does", "did", "can", "could", "will", "would", "should", "shall", "may", "might", "have", "has", "any",
    "anyone",
})
QUESTION_FILLERS: FrozenSet[str] = frozenset({
    "and", "so", "also", "ok", "okay", "hi", "hey", "hello", "um", "uh", "quick", "question", ":", "-", "but",
    "then", "another", "one", "more", "last", "oh", "well", "yes", "no", "thanks", "q",
})
# A question that asks for help now ("what do I do?") is not a question about the treatment.
HELP_NOW = re.compile(
    r"\b(what (do|should|can) (i|we) do|what to do|help me|please help|help (him|her|us)|right now|"
    r"hurry|asap|emergency room)\b")
# Someone asking what could happen ("what if", "in case", "during the infusion") is asking hypothetically.
HYPOTHETICAL = re.compile(r"\b(if|in case|what if|during (the|an|a|my) (infusion|session|treatment)|ever)\b")
# An emergency reported as happening now, then asked about ("had my infusion this morning and now my chest feels
# tight, is that normal?"): the question does not make it hypothetical.
HAPPENING_NOW = re.compile(
    r"\b(now(?! and then)|right now|currently|at the moment|this (morning|afternoon|evening)|tonight|today|"
    r"since (my|his|her|the|this) (infusion|session|treatment|dose))\b")

# Someone telling of a physical effect that is going on now, after a treatment ("it's been 6 hours since my session
# and i'm still seeing things", "my wife can't stop vomiting after her spravato dose"): whatever the answer, it ends
# with when to call the clinic and when 911. Read on the normalised text ("cant" is "can not" there); never a verdict
# of its own, so it cannot quiet the rules or the classifier.
AFTER_EFFECT_SYMPTOMS = re.compile(
    r"\b(confused|confusion|disoriented|floaty|disconnected|detached|dissociat(ed|ing)|unreal|out of (my|his|her) body|"
    r"(can not|cannot|can't) (stand|walk|stop (throwing up|vomiting|puking|shaking))|"
    r"throwing up|vomiting|puking|dizzy|light ?headed|faint|heart (is |keeps )?(racing|pounding)|palpitations|"
    r"seeing things|hallucinat\w*|hearing (things|voices)|shaking|headache|blurry|numb|nauseous|nausea|sick|"
    r"(feel|feeling|feels|acting|acts) (really |so |very |kinda |kind of )?(weird|strange|odd|off|wrong|awful|terrible|"
    r"horrible)|foggy|groggy|spacey|spacy|out of it|loopy|not making sense|"
    r"(does not|doesn't|doesnt|do not|don't|dont) know (where (she|he|they|i) (is|are|am)|what day it is)|"
    r"(walls|room|floor|ceiling) (is |are )?(moving|spinning|melting))\b", re.IGNORECASE)
# Feeling low, tearful or on edge, told the same way ("had my 2nd infusion yesterday and today i feel really low"): no
# emergency and no question for a consultation, but something the care team should hear of before the next treatment.
AFTER_EFFECT_MOOD = re.compile(
    r"\b((feel|feeling|feels|felt|am|i'm|been|so|really|very) (really |so |very |kinda |kind of |a bit |a little |"
    r"pretty |super )?(low|down|depressed|sad|blue|flat|empty|hopeless|weepy|teary|tearful|emotional|anxious|panicky|"
    r"on edge|irritable|agitated|worse)|crying|mood (has |is |just )?(dropped|crashed|tanked|dipped|low|down|worse)|"
    r"(depression|anxiety|ptsd|nightmares|flashbacks|panic attacks) (is |are |got |has gotten |have gotten |came |"
    r"is coming |are coming )?(worse|back))\b", re.IGNORECASE)
# A mood phrase brings its own "feel": told of someone, or of a day, it is a report ("since my infusion i feel low",
# "flat after yesterday's session"), otherwise a question in general ("why do people feel worse after infusions?").
MOOD_TOLD_OF_SOMEONE = re.compile(
    r"\b(i|i'm|i've|me|my|we|our|he|she|he's|she's|his|her|yesterdays?|yesterday's|today|tonight|last night|ago|"
    r"this (morning|afternoon|evening))\b", re.IGNORECASE)
# Whether to go to the ER or call 911 ("its been 8 hours, should i go to the ER"): when to call 911 and when the
# clinic is the answer, whatever came before.
ASKS_WHETHER_TO_GO_TO_THE_ER = re.compile(
    r"\b(should|do|does|shall|must) (i|we|he|she|they) (need to )?(go|get|be taken|take (him|her|them|my \w+)) "
    r"(in |back )?to "
    r"(the |an |a )?(er|e\.r\.|emergency( room| department)?|hospital|urgent care|ed)\b|"
    r"\b(should|do|shall) (i|we) call (911|an ambulance)\b", re.IGNORECASE)
# The clinic out of reach while someone asks what to do ("the clinic line is closed its after 6 ... should i wait it
# out", "so who do i call?? nobody is answering at the clinic"): they got the medication answer and the clinic's line.
CLINIC_OUT_OF_REACH = re.compile(
    r"\b((clinic|line|office|you|they)( line)? (is|are|was|'s|'re) (closed|not answering)|"
    r"(no ?one|nobody|no body) (is )?(answering|picking up|answers|picks up)|"
    r"(can'?t|cant|cannot|couldn'?t) (reach|get hold of|get through to|get a hold of) "
    r"(anyone|anybody|the clinic|you|them)|"
    r"after hours|out of hours)\b.*\b(should|who|what) (i|we|do)\b|"
    r"\b(should|who|what) (i|we|do)\b.*\b((clinic|line|office)( line)? (is|was|'s) closed|"
    r"(no ?one|nobody) (is )?(answering|picking up))\b", re.IGNORECASE)
AFTER_A_TREATMENT = re.compile(
    r"\b(after|since|from|post)\b[\w' ]{0,25}\b(infusion|session|treatment|dose|spravato|ketamine|appointment)s?\b|"
    r"\b(had|got|did) (my|his|her|their) (\w+ )?(infusion|session|treatment|dose)\b|"
    r"\b(infusion|session|treatment|dose|spravato|ketamine)s?\b[\w' ]{0,40}\b(ago|this (morning|afternoon|evening)|"
    r"today|yesterday|tonight|earlier)\b|\bgot (home|back) from\b", re.IGNORECASE)
AFTER_EFFECT_NOW = re.compile(
    r"\b(now|still|currently|at the moment|ago|it's been|its been|been \d+|\d+ (hours?|hrs?|minutes?|mins?) (after|since|later)|"
    r"this (morning|afternoon|evening)|today|tonight|got (home|back)|(can not|cannot|can't|won't|wont) stop|keeps?|"
    r"am|is|are|feel|feels|feeling|having|(have|has) been|(i|he|she|they)'(m|s|re|ve))\b", re.IGNORECASE)

# A sentence placed in the past: a history, not what is happening now.
PAST_MARKERS = re.compile(
    r"\b((years|yrs|months|decades|a year|a month|a (long )?while|a long time) ago|used to|back in|back when|in (19|20)\d\d|as a (kid|child|teen|teenager|boy|girl|youth)|"
    r"when i (was|first|got)|in my (teens|twenties|thirties|forties|fifties|20s|30s|40s)|"
    r"in (high school|college|the past)|history of|last (year|month|summer|spring|winter|fall)|years back|"
    r"(is|be|'s|are) (well |now )?controlled|back then|at (\d\d|\d\d years old)|"
    r"(he|she|they|i)('s| is| am|'m| are|'re) (fine|ok|okay|stable|safe|doing (well|better|fine)) now|"
    r"(in a good place|doing (much|so) better)|"
    r"survived|recovered|got me through|clean for|sober (for|since)|stable (now|for|since))\b")
# Words that turn a sentence from the past to now ("i used to be happy, now i just want to die"): a past marker
# counts only between the nearest of them before the match and the nearest after it.
PRESENT_PIVOTS: FrozenSet[str] = frozenset({"now", "nowadays", "lately", "currently", "today", "tonight", "again"})
# A history that has come back, anywhere in the message ("i tried last year. i'm thinking about it again tonight"),
# is now, not the past.
RECURRENCE = re.compile(
    r"\b((do|try|attempt) it again|(thinking|thought|think) (about|of) (it|that|doing it) again|"
    r"(feel|feeling|felt) (like )?(that|this) (way )?again|(it|they|those thoughts|the thoughts|the urges?)"
    r"('s| is| are|'re) back|again (tonight|today|right now|now)|(tonight|today|right now) again|"
    r"(i am|i'm|im) again(?= *($|[.,;!]))|i still (do|am|feel (that way|the same)))\b")
# A wish to join someone who has died ("my brother killed himself last year and now i want to join him"): read only
# where the message speaks of a death, since "i want to be with her" is otherwise about the living.
DEATH_OF_SOMEONE = re.compile(
    r"\b(died|dead|passed (away|on)|killed (himself|herself|themselves)|took (his|her|their) (own )?life|suicide|"
    r"funeral|grave|lost (my|our) (\w+ )?(son|daughter|wife|husband|brother|sister|mom|mother|dad|father|friend|"
    r"buddy|partner|baby|child|kid|fiance|fiancee|twin)|(didn't|didnt|did not|never) (come|came|make it|made it) "
    r"home|killed in action|kia|fallen)\b")
WISH_TO_JOIN = re.compile(
    r"(?<!not )(?<!n't )(?<!never )(?<!dont )\b(want|wanna|wish|going|gonna|plan|planning|ready|need|long|longing|"
    r"think (about|of)|thinking (about|of)|dream (about|of)|dreaming (about|of)|time)( to)? "
    r"(join|joining|follow|following|go be with|"
    r"(be|being) with(?= (him|her|them) (again|soon|there|forever|in heaven)))"
    r" (him|her|them|my (guys|brothers|buddies|boys|brothers in arms|unit|team))\b")
# A self-inflicted setback, not a wound: a rule reads "shot myself", and the classifier took it for a crisis.
SHOT_IN_THE_FOOT = r"(shoot|shot|shooting) (myself|me|ourselves) in the foot"
# Figures of speech that read like a rule; a sentence with one is no concern.
IDIOMS = re.compile(
    r"\b(kill(ing|ed)? (myself|me) (at|with|over|for|trying|working|to (get|finish|make|meet|keep))|"
    rf"{SHOT_IN_THE_FOOT}|"
    r"chok(e|ed|ing) (in|during|at|on) (the|my|a|that)? ?(job )?(interview|game|final|exam|test|presentation|"
    r"match|meeting|audition|speech|shot)|chok(e|ed|ing) (in|during|at|under) (the )?(penalty|clutch|big|last|final)|"
    # "he'd rather die than see a shrink": a refusal; "i'd rather die than keep living like this" is none of these.
    r"rather die than (see|go (to|into)|talk to|sit (in|with|through)|ask|admit|wear|call|pay|do therapy|get help|"
    r"be seen))")
# Figures of speech with risk words: where the rules found nothing, they keep the classifier from calling a crisis.
FIGURES_OF_SPEECH = re.compile(
    r"\b((is|are|was|be|'s|'re) (literally |totally |really |just )?(killing|murdering) (me|my)|kill(ed|ing) it|"
    r"(would|'d|d) kill for (a|an|one|some|that|decent)|"
    r"(is|was|'s) (pure |absolute |just )?murder (on|today|tonight|this)|"
    rf"{SHOT_IN_THE_FOOT}|"
    r"dead (set|tired|serious|wrong|on)|drop dead|over (my|his|her) dead body|(dying|die) (to|for|of)|to die for|bomb(ed|ing)?|"
    r"(i think |i'm |i am )?dying lol|scared to death|bored to death|lol|lmao|haha+|"
    r"(end of (my|the) rope|wits'? end|fed up|had it) with (my |the |this |these |your |our )?(insurance|insurer|"
    r"billing|paperwork|claims?|va|boss|job|landlord|pharmacy|phone tree|hold music|scheduling|portal|tricare|"
    r"medicare|medicaid|aetna|cigna|bcbs|blue cross|humana|united))\b")
# "This is my last question" on its own is about the chat, not a farewell; it keeps the classifier from calling a
# crisis. With anything more ("my last question before i end it") the classifier still reads the message.
LAST_QUESTION_ALONE = re.compile(
    r"\W*((ok|okay|so|and|sorry|alright|right)\W+)*((this is|this'll be|this will be|that's|that is|that was|"
    r"here's|here is) )?(my |one |the |a )?(last|final) question( i promise| for (now|today))?\W*")
# The writer says they are all right now ("sad but ok", "doing better", "small win"). Where the rules found nothing,
# it keeps the classifier from calling grief, good news or a symptom described a crisis.
SAYS_ALL_RIGHT = re.compile(
    r"(?<!if )(?<!pretending )(?<!pretend )(?<!like )(?<!say )(?<!says )(?<!said )(?<!that )(?<!think )(?<!thinks )"
    r"\b((i'm|i am|im|i'll be|ill be|i will be|gonna be|going to be) (ok|okay|fine|alright|all right|safe)|"
    r"(doing|feeling) (ok|okay|well|better|good|great|fine)|small win|(sad|a mess|wrecked|crying( a lot)?) but "
    r"(i'm |im )?(ok|okay|fine)|"
    r"(i'm|i am|im) not (going to|gonna) (actually |really )?(do (it|anything)|hurt myself)( stupid)?|"
    r"i (won't|will not|wont) (do anything|hurt myself)|^(no\W+)?not like that|i'?m (just )?venting)\b"
    # ...but not "fine soon", "better now that i've decided": a calm that comes from a decision is a warning sign.
    r"(?! (with|if|to|soon|after|once|when|by|tomorrow|then|now that|since|because|bc|knowing)\b)")
# Hunger or thirst told of ("he is hungry now", "she's starving after the infusion"): an everyday need, which the
# classifier read as an emergency ("he is ... now"). Where the rules found nothing and nothing else in the message is a
# symptom or a low mood, it keeps the classifier from calling one; the answer is what the clinic says of after a
# session.
ORDINARY_NEEDS = re.compile(r"\b(hungry|thirsty|peckish|starving(?! (myself|himself|herself|themselves))|"
                            r"(wants?|asking for|asks for|asked for) (food|something to eat|a snack|water|a drink))\b")
# A name or an answer given again with "i just told you" ("i just told u, sarah"), which the classifier read as a
# crisis: the whole message is the repeat and at most a few words of answer.
SAID_IT_BEFORE = re.compile(
    r"\W*(\w+\W+)?(i )?(just |already |literally )?(told|said)( (you|ya|that|it))?( (already|before|earlier))?"
    r"(\W+(?!(good)?bye\b|farewell\b)\w+)?\W*")
# Who made the booking, told for the team ("pls tell them her son set it up so shes not confused"), which the
# classifier read as a crisis at the booking's consent question.
WHO_BOOKED = re.compile(
    r"\b(her|his|their|my) (son|daughter|wife|husband|partner|mom|mother|dad|father|sister|brother|kid|child)"
    r"( [a-z]+)? "
    r"(booked|set (it|this) up|made (it|this|the booking|the request)|is booking|did the booking)\b|"
    r"\bbooked (it |this )?(for|on behalf of) (her|him|them|my)\b|"
    # "the note is wrong, it needs to say its for Jose Hernandez my father"
    r"\b(it'?s|its|it is|booking is|this is) for ([a-z]+ ){0,3}(my|his|her|our) (father|dad|mom|mother|son|daughter|"
    r"husband|wife|partner|brother|sister|grandma|grandpa|grandmother|grandfather)\b|\bnote (is wrong|should say|needs to say)\b",
    re.I)
# Back after a break ("sorry kids. where were we", "sorry had to step away. where were we?", "ok im back"), which the
# classifier read as a crisis: the whole message is the apology and the wish to go on.
BACK_AFTER_A_BREAK = re.compile(
    r"\W*((ok|okay|k|sorry|sry|srry|soz|oops|ugh|lol|hi|hey|hello|alright)\W+){0,3}"
    r"((about|for) (that|this)\W+|(the |my )?(kids?|baby|dog|phone|work|boss|door|husband|wife)\W+|"
    r"(i )?had to (step away|go|run|grab \w+|take (a|this) call)\W+|"
    r"(i )?(got|was) (distracted|interrupted|pulled away)\W+)*"
    r"(where were we|where was i|(i['’]?m|i am) back( now)?|back( now)?|(let['’]?s) (continue|keep going|carry on)|"
    r"carry on)\W*", re.I)
# Fear of what the treatment will do ("im scared its going to hurt", "nervous the iv will hurt", "scared it will make
# me relive the worst night of my life"): a worry about the needle or about the trauma coming back, not about harm.
# Where the rules found nothing, it keeps the classifier from calling a crisis.
TREATMENT_WORRIES = re.compile(
    r"\b(scared|afraid|nervous|worried|anxious|terrified|frightened)\b.{0,40}?"
    r"\b(it|its|it's|ketamine|the (infusion|iv|needle|shot|injection|treatment|procedure|session|ketamine))\b.{0,30}?"
    r"\b(hurt|hurts|hurting|painful|sting|stings|relive|reliving|re-live|re-experience|bring (it )?back|"
    r"brings (it )?back|flashbacks?|retraumati[sz]e|bad trip)\b"
    r"(?! (myself|him|her|them|someone|somebody|anyone|anybody|people|others|us|you|my|his|their))")
# After the crisis or emergency reply in a session (bot/policies/safety_net.py): turning help down ("i dont want to
# call anyone") gets the crisis reply again, not an answer to what follows it; reaching out ("im going to call 988",
# "my wife is home now") is met with gladness and the lines, not a topic menu.
TURNS_HELP_DOWN = re.compile(
    r"\b(don'?t|dont|do not|won'?t|wont|will not|not going to|not gonna|never gonna|can'?t|cant) (want to |wanna |)"
    r"(call|text|talk to|reach out to|contact|ring)\b.{0,25}?"
    r"\b(anyone|anybody|no ?one|them|988|a hotline|a crisis line|a therapist|people)\b|"
    r"\b(i'?m|im|i am) not (calling|texting|talking to)\b|\b(no ?one|nobody|nothing) (can|will|could) help\b|"
    r"\bdon'?t (want|need) (any |your )?help\b|\bleave me alone\b", re.I)
REACHING_OUT = re.compile(
    r"\b(i'?m|im|i am|i will|i'll|ill|going to|gonna|i just|just|i|ok|okay) "
    r"(call|text|calling|texting|called|texted|reach out to|talk to|talking to) "
    r"(988|911|the hotline|a hotline|the crisis line|a crisis line|the lifeline|my \w+|someone|them)\b|"
    r"\b(my \w+|someone|a friend) (is|came) (here|home|over|with me)\b|\bnot alone (now|anymore)\b", re.I)
# After the emergency reply in a session: care turned down ("nah not paying for an ambulance. ill just lie down",
# "gonna lay down for a nap") or a symptom told ("im throwing up", "my hearts kinda racing") gets it again, in other
# words; a message that says it is better, or that help is coming, does not.
TURNS_CARE_DOWN = re.compile(
    r"\b(not|never|won'?t|wont|don'?t|dont|no need to) (going to |gonna |want to )?"
    r"(call(ing)?|pay(ing)? for|go(ing)? to|need(ing)?) (an? |the )?(ambulance|911|er|e\.r\.|hospital|urgent care)\b|"
    r"\b(lie|lay|lying|laying) down\b|\bsleep (it|this) off\b|\bwait (it|this) out\b|\b(take|taking) a nap\b|"
    r"\bfor a nap\b|\b(go|going) to (bed|sleep)\b|\bprob(ably)? (just )?(anxiety|nothing|fine)\b", re.I)
SEDATION = re.compile(r"\b(nodding (off|out)|nod off|can'?t stay awake|cant stay awake|barely awake|sleepy|drowsy|"
                      r"so tired|out of it|passing out|blacking out)\b", re.I)
FEELING_BETTER = re.compile(r"\b(better|anymore|any more|no longer|gone|went away|stopped|on (their|the|his|her) way|"
                            r"(are|is|they're|theyre) (here|coming|sending)|called 911|at the (er|hospital))\b", re.I)
# After the crisis or emergency reply: asked whether to call 911 ("do i drive over or call 911 first", from a friend
# who got a worrying text), and the fear that a call brings the police ("not calling a hotline. theyll just send cops",
# "if i call 911 will they shoot him?"), which got the same block again word for word or an after-infusion answer.
ASKS_WHETHER_TO_CALL_911 = re.compile(
    r"\b(should|do|shall|can|must) (i|we) (just )?(call|ring|dial|phone) (911|the police|the cops|an ambulance)\b|"
    r"\b(call|calling) (911|the police|the cops) (first|or|now)\b|\bor (call )?911\b|\bcall 911\?", re.I)
# Fear told now, after the crisis reply ("he's in the garage, i'm scared"): got "I can't tell from this how things are
# for you" and a booking button.
SCARED_NOW = re.compile(r"\b(i'?m|im|i am|we'?re|we are) (so |really |very |kinda |just )?(scared|terrified|afraid|"
                        r"frightened|freaking out|panicking)\b"
                        r"(?! (of|about|that) (the |a |an )?(treatment|infusion|needle|side effects?|ketamine|session|"
                        r"cost|price))", re.I)
FEARS_THE_POLICE = re.compile(
    r"\b(police|cops|911|officers?)\b.{0,40}\b(shoot|hurt|arrest|lock (him|her|me) up|take (him|her|me) away)\b|"
    r"\b(they'?ll|theyll|they will|they'?d|they would|they|it will|it'?ll) (just |only )?(send|call) "
    r"(the )?(cops|police)\b|"
    r"\b(scared|afraid|worried) (to call|of) (the )?(cops|police|911)\b", re.I)
# Ketamine from a friend or the street, to take at home ("i got some k from a friend, how much should i take at home"):
# the medication answer said nothing against it, and "so i shouldnt do it at home?" got the after-a-session answer.
STREET_KETAMINE = re.compile(
    r"\b(got|get|bought|buy|buying|score|scored|have|has) (me |us )?(some |a bit of |a bag of )?"
    r"(k|ket|ketamine|special k) "
    r"(from|off) (a |my |some )?(friend|buddy|dealer|guy|someone|somebody|plug|roommate|coworker)|"
    r"\b(k|ket|ketamine)\b.{0,30}\bstreet price\b|\bstreet price\b.{0,30}\b(k|ket|ketamine)\b|"
    r"\b(take|do|use|try|dose) (k|ket) (myself |my self )?(at home|on my own|by myself|alone)\b|"
    r"\b(shouldn'?t|shouldnt|should not|can'?t|can i|should i) (i )?(do|take|try) it at home\b", re.I)
# A line for harm asked for ("child abuse hotline number?", "is there someone i can call about the hitting"), which got
# the clinic's line: the harm line (911, the domestic violence hotline and Childhelp) is the answer.
HARM_LINE_ASKED = re.compile(
    r"\b(child abuse|abuse|domestic violence|dv|family violence) (hotline|line|number|help ?line)\b|"
    r"\bhotline for (kids|children|teens|women)\b|"
    r"\b(someone|somebody|anyone|a number) (i can|to) (call|talk to|text) about (the |him |her |my \w+ )?"
    r"(hitting|abuse|beating|violence)\b", re.I)
POISON_HELP_ASKED = re.compile(r"\bpoison (control|help|center|centre|line|hotline|number|#)|\bpoison\w* number\b",
                               re.I)
# Safe now and asking to ask ("i'm okay now, safe. can i ask some questions about the treatment now?"), after the
# crisis reply: it got "I can't tell from this how things are for you"; gladness and "of course" fit.
SAFE_NOW_AND_ASKING = re.compile(
    r"\b(i'?m|im|i am|i feel|feeling) (ok|okay|safe|fine|alright|all right|better|calmer)\b(?! (if|when|with|to)\b)"
    r".{0,60}\b((can|could|may) i (still |now )?ask|ask (you )?(some |a few |a couple )?(more )?questions?)\b", re.I)
# Someone telling that another person hurts, threatens or frightens them ("my husband had a flashback and grabbed me
# by the throat", "he said he'd kill me if i leave", "is it safe for me to be around him"): a sign, not a verdict, so
# it never quiets the rules or the classifier; the answer is followed by 911 and the domestic violence hotline.
HOUSEHOLD = (r"(husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mom|mother|stepdad|stepfather|stepmom|"
             r"stepmother|son|daughter|brother|sister|roommate|boss|fiance|fiancee)")
HARMED_BY_SOMEONE = re.compile(
    rf"\b(he|she|they|my {HOUSEHOLD}) "
    r"((is|was|has|keeps|kept|started|always|sometimes|even|also|just|then|again) ){0,2}"
    r"(grab(s|bed)?|chok(e|es|ed|ing)|strangl(e|es|ed|ing)|hit(s|ting)?|punch(es|ed)?|beat(s|ing)?|slap(s|ped)?|"
    r"kick(s|ed)?|shov(e|es|ed)|push(es|ed)|hurt(s|ing)?|attack(s|ed)?|threaten(s|ed|ing)?|rap(e|ed)|abus(e|es|ed|ing)|"
    r"threw|throws) me(?! (to|into|toward|towards)\b)\b|"
    r"\bgrab(s|bed)? me by the (throat|neck|hair)\b|"
    rf"\b(scared|afraid|terrified|frightened) (of|to be around|to sleep next to|to go home to|to be alone with) "
    rf"(him|her|them|my {HOUSEHOLD})\b|"
    r"\bsafe (for me |for us |for the kids |for my kids )?(to be )?(around|near|at home with|alone with) "
    r"(him|her|them)\b|"
    r"\b(kill|hurt) me if\b|"
    # "he threw a chair at the wall next to me"; "its still kinda happening at home. my stepdad" from a teenager.
    r"\b(threw|throws|thrown|throwing) (a|the|his|her|my|our) \w+ (at|next to|near|past|toward|towards) "
    r"(me|my|the wall)\b|"
    r"\b(still|keeps?) (kinda |kind of |sort of )?(happening|going on) at home\b|"
    # "if they call him and he finds out i did it he might freak out on me", at the booking's consent question.
    r"\b(he|she|they)('ll| will| might| may| could| would)? (freak|flip|lose it|go off|blow up|snap) (out )?(on|at) me\b|"
    # In Spanish: "mi esposo me pega", "me amenazó esta noche".
    r"\bme (pega|pegó|pego|golpea|golpeó|golpeo|amenaza|amenazó|amenazo|lastima|lastimó|maltrata|empuja|empujó)\b",
    re.IGNORECASE)
# Laughter turns a threat into a figure of speech ("she'll kill me haha").
JOKE_MARKERS = re.compile(r"\b(lol|lmao|haha+|hehe|jk|rofl)\b")

# Emoji that stand for words the rules read.
EMOJI_WORDS: Dict[str, str] = {
    "\U0001F48A": " pills ", "\U0001F52B": " gun ", "\U0001F52A": " knife ", "\U0001FAA2": " rope ",
    "\u26B0": " coffin ", "\U0001FA78": " blood ", "\U0001FA92": " razor ",
    "\U0001F602": " lol ", "\U0001F923": " lol ", "\U0001F635": " dead ",
}

# A message of emoji only that shows a means (a gun and a dizzy face, five pills and a bed, after three sad faces),
# which got "I'm sorry I couldn't help with that": a gun, a rope, a razor or a coffin (a knife is as often cooking),
# or pills three or more times.
MEANS_EMOJI = frozenset({"\U0001F52B", "\U0001FAA2", "\U0001FA92", "\u26B0"})
PILL_EMOJI, PILLS_TO_COUNT = "\U0001F48A", 3
# Blood-pressure readings of a hypertensive emergency: systolic 180 or more, or diastolic 120 or more.
BLOOD_PRESSURE = re.compile(r"\b(\d{2,3})\s*(?:/|over)\s*(\d{2,3})\b")
HYPERTENSIVE_SYSTOLIC, HYPERTENSIVE_DIASTOLIC = 180, 120
# A reading alone may be a question for the consultation; with one of these it is an emergency.
HYPERTENSIVE_SYMPTOMS = re.compile(
    r"\b(headache|vision|blurry|blurred|chest|confused|confusion|numb|nosebleed|short of breath|dizzy|pounding)")

WORD_SETS: Dict[str, Tuple[str, ...]] = {
    "self": ("myself", "himself", "herself", "themselves", "themself", "ourselves"),
    "others_self": ("himself", "herself", "themselves", "themself"),
    "harm": ("kill", "hurt", "harm", "shoot", "stab", "strangle", "murder", "choke", "attack", "cut", "burn",
             "hang", "off", "drown", "poison"),
    "harm_others": ("kill", "hurt", "harm", "shoot", "stab", "strangle", "murder", "choke", "attack", "poison"),
    "intend": ("want", "go", "will", "plan", "try", "threaten", "need", "mean", "decide", "wish", "gonna"),
    "person": ("him", "her", "them", "someone", "somebody", "everyone", "everybody", "people", "anyone",
               "anybody"),
    "relation": ("ex", "wife", "husband", "partner", "boyfriend", "girlfriend", "kid", "son", "daughter",
                 "baby", "child", "mom", "mother", "dad", "father", "brother", "sister", "boss", "neighbor",
                 "neighbour", "family", "roommate", "stepdad", "stepmom", "coworker", "abuser", "friend",
                 "sergeant", "manager", "uncle", "aunt", "cousin", "spouse", "supervisor", "teacher", "landlord",
                 "stepfather", "stepmother", "commander", "kids", "children", "parents"),
    "stranger": ("guy", "man", "woman", "person", "dude", "bitch", "bastard", "asshole", "prick"),
    "determiner": ("the", "that", "this", "my", "his", "her", "their", "our"),
    "want": ("want", "wish", "hope", "wan", "pray", "like"),
    "pill": ("pill", "med", "medication", "medicine", "tablet", "xanax", "oxy", "oxycodone", "percocet",
             "vicodin", "tylenol", "benadryl", "sleeping", "valium", "klonopin", "ambien", "seroquel",
             "fentanyl", "heroin", "insulin", "ativan", "adderall", "antidepressant", "opioid", "trazodone",
             "sertraline", "zoloft", "prozac", "lexapro", "wellbutrin", "lithium", "gabapentin", "tramadol",
             "morphine", "percs", "bar", "norco", "melatonin", "ibuprofen", "aspirin", "prazosin", "acetaminophen",
             "nyquil", "advil", "lorazepam", "clonazepam", "quetiapine", "methadone", "suboxone", "xanax",
             "hydrocodone", "pain", "antidepressants", "meds", "pills", "prescription", "prescriptions"),
    "quantity": ("bottle", "bunch", "handful", "lot", "all", "whole", "box", "pack", "everything"),
    "weapon": ("gun", "pistol", "rifle", "knife", "blade", "shotgun", "revolver", "firearm", "razor", "weapon",
               "machete", "bat", "bullet", "blades", "rifle", "glock", "handgun", "barrel"),
    "firearm": ("gun", "guns", "pistol", "rifle", "shotgun", "revolver", "firearm", "glock", "handgun", ".45", ".38"),
    "height": ("bridge", "roof", "ledge", "building", "cliff", "overpass", "balcony", "window", "edge", "railing"),
    "jump": ("jump", "throw", "leap", "fall"),
    "poison": ("antifreeze", "bleach", "poison", "cleaner", "pesticide", "lye", "ammonia"),
    "vehicle": ("truck", "car", "bus", "train", "semi"),
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
    """A group of patterns with one label and topic.

    A match is read in its sentence: a denial just before it, a question about what could happen, a past history or
    (for threats) laughter makes it a sensitive mention instead of someone at risk now.
    """

    name: str
    label: str
    topic: str
    patterns: Tuple[str, ...]
    negatable: bool = True
    hypothetical_applies: bool = True
    past_applies: bool = True
    joke_applies: bool = False


SUICIDE, SELF_HARM, VIOLENCE, OVERDOSE, MEDICAL = "suicide", "self_harm", "violence", "overdose", "medical"
# Where one of these comes up, the answer carries one gentle line with the crisis lifeline.
SUPPORT_LINE_TOPICS: FrozenSet[str] = frozenset({SUICIDE, SELF_HARM})

# "Not make it through the night" or "through tonight" is a crisis; the night shift, an exam or a movie is not.
STRETCHES_OF_TIME = ("through the|this|another night|weekend|week|day !shift|exam|meeting|class|movie",
                     "through tonight|today !be|shift|exam|meeting|class|movie")

SAFETY_RULES: Tuple[SafetyRule, ...] = (
    SafetyRule("suicidal_disclosure", CRISIS, SUICIDE, (
        "be|feel|feeling|get|been|getting so|really|very|actively|pretty? suicidal",
        "have|having|get|getting|with suicidal thought|thoughts|urge|urges|ideation|feeling|feelings",
        "suicidal again|tonight|today|rn|now",
        "suicidal thought|thoughts|urge|urges will|do|be not|n't? stop|go|shut",
        "think|thinking|thought about|of suicide|dying|death",
        "commit|attempt|attempting|try suicide",
        "suicide attempt|plan|note",
        "i|have|had attempt before|in|when|as|at|last|back|.",
        "i|have|had attempt once|twice !to",
        "write|wrote|writing|leave|left my? suicide? note",
        "suicidal .",
    )),
    SafetyRule("self_harm", CRISIS, SELF_HARM, (
        "@harm myself",
        "be|@intend|keep|keeps|start|started|threaten|threatens to? @harm @others_self",
        "might|may|could @harm @others_self",
        "self harm|harming|injure|injury|mutilate",
        "cut|burn my|his|her? wrist|wrists|arm|arms|leg|legs|thigh|thighs",
        "be|been|keep|start|started cut again?",
        "cut again",
        "hurt|harm @self on purpose",
        "danger to @self",
        "urge|urges to cut|burn|hurt|harm",
        "=sh urge|urges",
        "scratch|scratching|pick|picking _? _? till|until|til _? bleed|bleeds|bleeding",
        "scrub|scrubbing _? _? _? _? _? _? till|until|til it? bleed|bleeds|bleeding",
        "make|making|made new? cut|cuts on|in my arm|arms|leg|legs|thigh|thighs|wrist|wrists|stomach|skin|hip|hips",
        "relapse|relapsed and cut|burn|hurt",
        "relapse on|with|into =sh|cutting|burning",
        "he|she|they cut|burn @others_self !off|out|shaving|on|by|accidentally|cooking",
        "fresh cut|cuts|burn|burns",
        "bang|banging|hit|hitting my head against|on the? wall|floor",
        "urge be so|really|too strong",
        "@weapon in my hand",
        "tonight i do|did it again",
        "do|did it again tonight",
    )),
    SafetyRule("wish_to_die", CRISIS, SUICIDE, (
        "@want to? die",
        "@want i|to be|was|were dead",
        "@want i be|was|were|have|had|would never be|been? born",
        "@want i would|had|have? go|gone|die|died with|too|instead",
        "should have be|been me",
        "@want it|that|they|he|she|the _? _? had|would have? be|been me",
        "@want it|that|they|he|she|the _? _? had|would have? get|got|gotten|take|took|taken|kill|killed me too|instead",
        "it would|will|could all? just? be over",
        "@want i|to just? die",
        "hope i just? die",
        "@want to? not wake up",
        "go|fall to? sleep|asleep|bed and just? not|never wake up",
        "just not wake|waking up",
        "sleep and just? never wake up !from|rested|refreshed|feeling|until|till|before|after|during|on|at|in|early",
        "hope|wish|want i do not wake up",
        "hope|wish|want i would not wake up",
        "hope|hoping i|to would|will? not|never wake up",
        "if i just? do? not|never wake up tomorrow|again|in",
        "not mind not be|being alive|here|around",
        "@want it all to be over|end",
        "@want i could? disappear|vanish",
        "@want to? disappear forever",
        "stop existing",
        "@want it all to? stop for good",
        "@want to be gone",
        "hope|wish|pray a|the|some @vehicle hit|hits|run|runs",
        "better off dead",
        "better off without|w/o me",
        "say|saying|says|said we|they|you|everyone|everybody _? be better off without|w/o",
        "say|saying|says|said stuff|things like we|they|you|everyone|everybody _? be better off without|w/o",
        "better off gone",
        "better off with _ _? _? _? than with me",
        "better off if i be|was|were gone|dead",
        "better off if i die|died|disappear",
        "better off when|if i be gone|dead",
        "better off when|if i be not around|here",
        "everyone|everybody|they|family|@loved will|would all? be better off soon|sooner",
        "better when i be gone|dead",
        "better off with a @weapon in my head",
        "@want to? end it all?",
        "@want to? end my life",
        "@want to just? be dead",
        "rather be dead|gone",
        "rather die",
        "tired|sick of be|being alive",
        "tired|sick of live|living|life",
        "done with life|living",
        "done fighting|trying !ssris|ssri|med|meds|medication|medications|antidepressant|antidepressants|therapy|"
        "therapies|therapist|therapists|treatment|treatments|drug|drugs|pill|pills|diet|diets|pharma|prozac|zoloft|"
        "lexapro|emdr|cpt|insurance|va",
        "tired of fight|fighting|try|trying !with|for|to|my|the|your|insurance|them|him|her",
        "done with everything",
        "done with it all",
        "done with all of it .|!|?|;",
        "no solution to any of this|it",
        "hate my life and|&? @want out",
        "@want out for good",
        "@want out permanently",
        "end my suffering|pain for? good|permanently|forever",
    )),
    SafetyRule("end_life", CRISIS, SUICIDE, (
        "end|take|finish my own? life",
        "=take|taking|end|ending|to his|her|their own? life",
        "end it all",
        "go|going|plan|planning|about|ready|want|think|thinking to|about|of? end it",
        "end it tonight|today|now|soon",
        "end|ending thing|things",
        "end my suffering",
        "end everything",
        "check|clock out for good !from|at|of|with",
        "think|thinking|thought|ready about|of|to? check|checking|clock|clocking out .",
        "go|going to valhalla early|soon",
        "make it look like an accident",
        "talk me out of it",
        "think|thinking about how quick|easy|fast|painless it would be !to",
        "already decide how|when !to|i|we|you|the",
        "not|never be around much|by|anymore|for|then|long",
        "not|never be here much? longer|anymore|tomorrow|for",
        "not know|sure if|whether? i will even? still? be alive",
        "not know|sure if|whether? i will even? still be here|around !in|next|after|this|for|at|to|then|on|living|,",
        "not want|wanna to? be here|around anymore|any",
        "be gone soon|tomorrow|by",
        "just want|wanted someone|somebody to know !that|how|about|the|i|my|what|why|if|you|we|our|it|this|,",
        "already? write|wrote|written everyone|the note|notes|letters "
        "!for|to|from|about|of|you|that|down|in|on|up|out|after|during|while|i|we",
        "will not need that|the|my|an appointment|session i will not be",
        "one of the? 22",
        "22 a day",
        "go through with it",
        "tonight be the night !i|we|to|for",
        "tonight be the night i end|do|go|die|kill|take",
        "have|got|made a plan and a date",
        "plan|planning|planned my exit !from|of|strategy|interview",
        "plan|planning|planned my way out !of",
        "be at peace soon",
        "soon i will be at peace",
        "will soon be at peace",
        "not need|needing more|any|another appointment|appointments|session|sessions",
        "will not have me around|to",
        "calm|peace now that i have? decide|decided",
        "tie|tying up loose end|ends",
        "not be a problem|burden for|to anyone|anybody|you",
        "not be a problem|burden much|any longer",
        # Told beside a booking answer ("702 555 0188, not sure ill be around much longer").
        "not sure|know if|whether? i will be around|here much|any longer|anymore",
        "not be a problem|burden for long|much",
        "@loved can have|keep the|my house|truck|car|stuff|guns|everything .",
        "not have to worry about me",
        "when|after i be gone",
        "not be? need|needing them|it|this|those|that|treatment|therapy|anything where i be go",
        "not be? need|needing treatment|therapy|session|sessions|appointment|appointments after tonight !be",
        *(f"not go? to? make it {stretch}" for stretch in STRETCHES_OF_TIME),
        "not go? to? make it much|any longer",
        "not go? to? make it another day|night|week",
        "not think i can|will make it another|much|any",
        *(f"not think i can|will make it {stretch}" for stretch in STRETCHES_OF_TIME),
        "affair|affairs be in order",
        "know exactly what i be go to do",
        "take care of the|my kid|kids|dog|children for me",
        "tell|told me to take care of the|my kid|kids|children",
        "with a|his|her @weapon say|saying|says|talk|talking",
        "be go|about to jump .",
        "sewer|sewage slide",
        "note|letter|letters for my @loved !be",
        "note|letter|letters for my @loved be on|in|under|by|next",
        "the|my note|letter|letters be on|in|under|by the|my _ _? for my @loved",
        "leave|left the|a|my note|letter|letters on|in|under|by the|my _ _? for my @loved",
        "not be come|coming back",
        "this be the only way",
        "the only way out",
        "and now|still he|she|they be not answer|answering|pick|picking",
        "and now|still he|she|they will not answer|pick|respond",
        "nobody|noone can reach|find him|her|them",
        "no one can reach|find him|her|them",
        "find|found @pill on the _? floor",
        "he|she be not answer|answering|pick|picking",
    )),
    SafetyRule("no_reason_to_live", CRISIS, SUICIDE, (
        "not want to live|exist|continue",
        "no wish|desire|will to live|continue",
        "no wish|desire|will to go|keep on|going|living",
        "not want to wake|go|keep up|on|going|living",
        "not want to be alive|here|around",
        "no point|reason in|to|of live|exist|life|continue|try",
        "no point|reason in|to|of go|keep on|going|living",
        "not see the? point in|of live|life|anything|continue|try",
        "not see the? point in|of go|keep on|going|living",
        "what be the point of|in live|life|anything|try|continue",
        "what be the point of|in go|keep on|going|living",
        "nothing left? to live for",
        "there be no point anymore .",
        "nothing matter|matters anymore",
        "stop|stopped care|caring what happen|happens to me",
        "no reason to live|stay|be here",
        "life be not|no worth live|living",
        "life just|really? be not|no worth it|the|all|living",
        "not worth live|living",
        "no longer want to live|be here",
        "can not go|keep on|going",
        "can not keep live|living|go|going like this",
        "can not take it|this anymore",
        "can not do this anymore",
        "how much long i can do|take this|it",
        "nobody|noone would even? notice|care|miss me? if|when i",
        "no one would even? notice|care|miss me? if|when i",
        "care|cares if|whether i live or die",
        "would not even? notice|care if i was|were|be gone|dead",
        "burden to my? @loved|everyone|everybody",
        "be a burden",
        "nothing but a burden",
        "life insurance would|will do|be",
        "be just a burden",
        "not see a future for me|myself",
        "make|made my peace",
        "no way out",
        "not see a|any way out",
        "way out except|but die|dying|death",
        "not|never keep myself|me safe",
        "keep myself|me safe much|any longer",
        "not safe with|around myself",
        "not trust myself with|around",
        "hold|keep|take on? to? my @weapon for a while",
        "give|giving|gave|given away my|his|her stuff|thing|things|belongings",
        "give|giving|gave|given most|all of? my stuff|thing|things|belongings away",
        "new home for my dog|cat|pet|pets",
        "everything be in order",
        "put|putting|get|getting my affair|affairs in order",
    ), hypothetical_applies=False),
    SafetyRule("farewell", CRISIS, SUICIDE, (
        "this be my goodbye|farewell",
        "this be goodbye !for",
        "goodbye|bye for good|ever",
        "goodbye forever|world|everyone|everybody|all",
        "bye everyone|everybody|forever|world",
        "tell my @loved i love them|her|him|you",
        "tell my @loved i be sorry",
        "i love you all",
        "my last|final message|goodbye|words",
        "this be my last message|text|words",
        "the|my last message|text|words you will ever? get|receive|hear from me",
        "the last you will ever? hear from me",
        "@goodbye @message",
        "post|posted|send|sent|leave|left|write|wrote a goodbye",
        "say|said my goodbye|goodbyes !to",
        "say|said my goodbye|goodbyes to my? @loved|everyone|everybody|you|all|friend|friends|world",
        "to say goodbye and",
        "be say|saying goodbye",
        "text|texted|sent me goodbye|a goodbye",
        "write|wrote|writing a? letter|letters to|for my? @loved !be",
        "write|wrote|writing a? letter|letters to|for each|all of my @loved !be",
        "find|found my|his|her @loved be? note|letter",
        "give|gave|giving away my|his|her|all|everything",
        "give|gave|giving my dog|cat|pet|pets|stuff|thing|belonging away",
        "give|gave|giving my dog|cat|pet|pets|stuff|thing|belonging to my|the|a|his|her|our _ "
        "!for|while|until|till|during|when|over",
        "do not blame yourself|yourselves",
        "tell _ _? _? it be not his|her|their|your fault",
        "for try|trying to help me",
        "for trying .",
    )),
    SafetyRule("means", CRISIS, SUICIDE, (
        "@pill line up",
        "line up the|my|all? @pill",
        "save|saving|stockpile|stockpiling|hoard|hoarding up? my|the? @pill",
        "set|setting|put|putting aside|away my|the? sleeping? @pill for _? _? week|weeks|month|months",
        "rope|noose be? up|ready .",
        "look|looking|stare|staring at my @weapon",
        "eat my @weapon",
        "load|loaded my|the|a @weapon",
        "load|loaded my # mm|caliber|cal|gauge",
        "@weapon in my mouth",
        "@weapon to my head",
        "@weapon be sit|sitting|right|next _? here|there|to|by|beside",
        "buy|bought a? rope|noose",
        "the|a|my rope|noose be? in|up|ready|tied in? the|my closet|garage|basement|attic|shed|barn|tree|beam",
        "hose|tube _? _? _? exhaust|tailpipe",
        "tie|tied|make|made a noose",
        "stand|standing|sit|sitting on|at the|a @height",
        "stand|standing on the|a _ _? bridge|ledge|overpass|cliff|railing",
        "be|been stare|staring over|down the edge|ledge|railing",
        "sit|sitting in the|my _? garage|car|truck with my|his|her|the|a _? @firearm",
        "sit|sitting up with my|his|her _? @firearm",
        "@firearm in|on my|his|her lap",
        "swim|swimming out until|till i can not",
        "lock|locked @others_self in the|a|his|her bathroom|garage|car "
        "!to|after|for|during|while|because|crying|again|every",
        "think|thinking about|of @means_verb",
        "walk|walking|swim|swimming|drive|driving into the? @water",
        "in the|my garage with the|my car|engine|truck running|on",
        "car|engine|truck running in the|my|a closed? garage",
        "take|took|get|got|pull|pulled|have|has my|his|her|the _? @weapon out !of",
        "how many of? my|his|her? sleeping? @pill it? would|will|does|to take|kill",
        "look|looked|google|googled|search|searched up? how to die|kill|overdose|hang",
        "@jump off|from the|a|my @height",
        "@jump off|from the|a roof|bridge|building",
        "@jump in front of a|the train|bus|truck|car",
        "step|walk in front of a|the train|bus|truck|car",
        "drive|driving|crash|crashing|put|putting|run|running|wrap|wrapping my? truck|car|bike? into|off a|the "
        "@obstacle|road|cliff|bridge|overpass|ledge|embankment",
        "@intend to overdose",
        "think|thinking about overdose|overdosing",
        "overdose on purpose",
        "take all|every my|the|of? @pill",
        "think|thinking about take|taking all|every of? them|it|my",
        "@pill in front of me",
        "plan|planning how i would|will|to do it",
        "how i would|will actually? do it",
        "when|where i be go to do it",
        "know when|where|how i be go to do it",
    )),
    # Asking how much it would take to die, or how long until someone is found, is asking for a means or making a
    # plan, however it is put: a question, even "just wondering", is no shelter here.
    SafetyRule("means_question", CRISIS, SUICIDE, (
        "would|will|do|does|did it take to just? die|overdose|od !down|off|out|from|of",
        "would|will|do|does|did it take to just? kill @self|me|someone|somebody",
        "would|will|do|does|did it take to just? not|never wake up",
        "would|will|do|does|did it take to just? end my|a|your life",
        "it take for _? someone|somebody|anyone|body|me|you to be|get found",
        "before|until|till _? someone|somebody|anyone|body be|get found",
        "it take for _? someone|somebody|anyone to find me !a|an|the|some|another|one|appointment|slot|time|therapist",
        "it take for _? someone|somebody|anyone to find my body",
    ), hypothetical_applies=False),
    SafetyRule("other_languages", CRISIS, SUICIDE, (
        "=suicidarme|suicidar|suicidio|suicida|matarme|morirme|suicider",
        "=quiero|quisiera =morir",
        "=no =quiero =vivir",
        # Said less bluntly, as it more often is: "ya no quiero seguir viviendo así", "no tengo ganas de vivir".
        "=no =quiero =seguir =viviendo|adelante|así|asi|aquí|aqui",
        "=no =quiero =estar =aquí|aqui",
        # Told of someone else: "ayer dijo que ya no quiere vivir y tiene una pistola en su cuarto".
        "=no =quiere =vivir",
        "=no =quiere =seguir =viviendo|aquí|aqui|adelante",
        "=quiere =morir|morirse|matarse|suicidarse",
        "=se =quiere =matar",
        "=ya =no =quiero =seguir =así|asi|aquí|aqui|viviendo|adelante|más|mas|luchando|.",
        "=no =tengo =ganas =de =vivir|seguir",
        "=no =vale =la =pena =vivir|seguir",
        "=no =quiero =despertar|despertarme",
        "=mejor =no =despertar|despertarme",
        "=ya =no =puedo =más|mas .|!|?|;|,|con|de",
        "=quiero =desaparecer",
        "=mejor =muerto|muerta",
        "=estarían|estarian|estaría|estaria =mejor =sin =mí|mi",
        "=quitarme =la =vida",
        "=me =quiero =matar",
        "=me =voy =a =matar",
        "=acabar =con =mi =vida",
        "=veux =mourir",
        "=me =tuer",
    )),
    SafetyRule("harm_others", CRISIS, VIOLENCE, (
        "@intend to? @harm_others @person",
        "@intend to? @harm_others my|his|her|our|the|that @relation",
        "@intend to? really|seriously|actually|just @harm_others @person|my|his|her",
        "violence be the only answer|way|option",
        "@intend to? @harm_others @determiner @stranger",
        "will|go @harm_others @person",
        "think|thinking about|of @harm_others @person|my",
        "afraid|scared i be|will go? to? @harm_others",
        "@harm_others @person i swear",
        "be going to kill my|his|her @relation",
        "say|said|says he|she be? go to kill @determiner|him|her|them",
        "want|wants @person dead",
        "urge|urges to @harm_others",
        "make them|every|everyone|all _? _? _? pay",
        "go|going down|over|up there with my|a|the|his|her _? @weapon",
        "put|putting him|her|them in the hospital|ground|grave",
        "risk of hurt|hurting|harm|harming|kill|killing someone|somebody|people|myself",
        "thought|thoughts|urge|urges of|about @harm_others",
        "afraid|scared i be|will go? to? do something|worse|it",
        "hand|hands around his|her|my _? _? neck",
        "i know where he|she|they live|lives",
    ), joke_applies=True),
    # Spanish emergencies ("mi esposo tomó muchas pastillas", "no respira bien", "no se despierta"), which got "that's
    # outside what I can help with" while the same words in English got 911 and Poison Help.
    SafetyRule("other_languages_emergency", MEDICAL_EMERGENCY, OVERDOSE, (
        "=tomó|tome|tomé|tomo =muchas|todas =las|sus? =pastillas|pastilla|píldoras|pildoras|medicinas",
        "=sobredosis",
        "=no =respira|respiro",
        "=no =se =despierta",
        "=no =despierta|reacciona|responde",
        "=convulsión|convulsion|convulsiones|convulsionando",
        "=dolor =en =el =pecho",
        "=dolor =de =pecho",
    ), hypothetical_applies=False, past_applies=False),
    SafetyRule("overdose", MEDICAL_EMERGENCY, OVERDOSE, (
        "=overdosed|overdosing !on",
        "=overdosed|overdosing on @pill|something|drugs|it|them|fentanyl|heroin|alcohol",
        "=overdose right now|now",
        "=took|swallowed|ate|taken a|the? whole? @quantity of? my|his|her|the|their? sleeping? @pill",
        "=took|swallowed too many|much !time|money|vacation|off|break|day|week|month|credit|leave",
        "=took|swallowed|taken all my|his|her|the|of @pill",
        "=took|swallowed|taken all of my|his|her|the _? @pill",
        "=took|mixed my|his|her? @pill with a? lot? of? alcohol|booze|drinks|vodka|beer|wine",
        "can barely|not keep my|his|her eyes open",
        "breathing be|feel|feels|get|getting very|really|so|super? slow|shallow",
        "=took|swallowed|taken them all",
        "=took|swallowed|ate|popped @hedge # of my|his|her|the|their",
        "=took|swallowed|ate|popped @hedge # @pill",
        # Told in passing ("accidentally dosed twice today ... took it on top of my clinic dose ... kinda nodding off"):
        # an extra dose of methadone or a benzodiazepine is a poisoning risk however lightly it is put.
        "=dosed|doubled twice|up|double",
        "=took|taken|had|swallowed my|his|her|the|a? @pill|dose|it|them twice !a|per|daily|weekly|each|every|in",
        "=took|taken|had|swallowed a|my|his|her? double|extra dose",
        "=took|taken|swallowed it|them|more|another|one|some|extra on top of my|his|her _? _? dose|@pill",
        "=took|swallowed|ate|taken ## of? my|his|her|the|their? sleeping? @pill",
        "mix|mixed @pill and alcohol|drink|drinks|booze|beer|wine|vodka",
        "can not stay awake",
        "mix|mixed alcohol|drink|booze and @pill",
        "narcan be not working",
        "get|got into my|the|his|her @pill|medicine|medication|cabinet",
        "get|got into my|the|his|her ketamine|spravato|esketamine "
        "!program|therapy|treatment|clinic|trial|study|field|infusion|infusions|session|sessions|world",
        "get|got into my|the|his|her nasal|spray",
        "=swallowed some",
        "=ate|swallowed some|a few? of my|his|her|the @pill",
        "drink|drank|swallow|swallowed|ate|eat @poison",
    )),
    SafetyRule("breathing", MEDICAL_EMERGENCY, MEDICAL, (
        "can not breathe",
        "not|barely|stop|stopped breathe|breathing",
        "be not breathing",
        "can not catch my|his|her breathe",
        "be choke|choking",
        "choke|choked|choking on",
        "help _? choke|choking",
        "wheeze|wheezing",
        "pulse feel|feels|be|is very|really|so|super? weak|faint|slow",
        "weak|faint pulse",
        "throat be|feel|feels? close|closing|tight up?",
        "throat feel like it be close|closing",
        "lip|lips be? turn|turning|go|going? blue",
        "lip|lips look|looks|looking kind|kinda? of? blue|purple|gray|grey",
        "@swelling_part be? swell|swelling|swollen",
        "@swelling_part and @swelling_part be? swell|swelling|swollen",
        "allergic reaction",
        "anaphylaxis|anaphylactic",
        "epipen",
        "gurgle|gurgling",
        "struggle|struggling|trouble|hard to? breathe|breathing",
    )),
    SafetyRule("heart", MEDICAL_EMERGENCY, MEDICAL, (
        "=have|having|has|getting|got|feel|feeling chest pain|pains|pressure|tightness",
        "chest pain|pains|pressure|tightness and|right|now|for|since",
        "pressure|squeezing|tightness|pain in my|his|her chest",
        "cold sweat",
        "chest really? hurt|hurts|be|feel|feels tight|crushing|heavy|hurt",
        "chest be|feel|feels really|so|very|super tight|crushing|heavy",
        "chest hurt|hurts really|bad|so",
        "crushing|severe|sharp|bad chest",
        "crushing|severe|sharp|bad pain in my|his|her chest",
        "=have|having|has a heart attack|stroke",
        "heart attack right? now",
        "arm be numb",
        "pain go|going|goes down my|his|her left? arm",
        "go|going|goes down my|his|her left arm",
    )),
    SafetyRule("stroke", MEDICAL_EMERGENCY, MEDICAL, (
        "face be|go|went|start|started? droop|drooping|numb",
        "side of my|his|her face be|go|went? droop|drooping|numb",
        "can not lift|move|feel my|his|her arm|leg|side",
        "slur|slurring|slurred his|her|my? word|words|speech",
        "worst headache of my|his|her life",
        "can not see out of one|my|his|her eye",
        "can not lift|move|feel my|his|her _? arm|leg|side",
        "can not feel the left|right side",
        "speech be all? slur|slurred|garbled",
        "smile|face be crooked|uneven|lopsided",
        "can not repeat|speak|talk",
        "suddenly can not see|speak|talk|walk|move",
        "can not walk straight",
    )),
    SafetyRule("unconscious", MEDICAL_EMERGENCY, MEDICAL, (
        "will|can not wake up",
        "be not waking up !rested|early|at|before|in|on|until|till|feeling|refreshed|tired|as|with|from|like|well",
        "can not wake|rouse him|her|them|my",
        "pass out|passed",
        "collapse|collapsed",
        "be|go @unconscious",
        "@unconscious",
        "not respond|responding",

        "keep|kept her|him|them awake",
        "faint|fainted",
        "be on the floor not breathe|breathing|moving",
        "on the floor not|barely breathe|breathing|moving",
        # "he wakes up when I shake him but then falls back asleep and he doesn't know what day it is"
        "only? wake|wakes up when i|we shake him|her|them",
    )),
    SafetyRule("seizure", MEDICAL_EMERGENCY, MEDICAL, (
        "=having|has|have a seizure",
        "seizure right? now|will|won't|be|for|last|lasting|that|and",
        "seizing|convulse|convulsing|convulsion",
        "shake all over",
    )),
    SafetyRule("bleeding", MEDICAL_EMERGENCY, MEDICAL, (
        "bleeding will|do not stop",
        "get|stop the bleeding to? stop",
        "bleed|bleeding a lot|heavily|badly|everywhere",
        "lose|losing a lot of blood",
        "cut too|so deep",
        "cut deep|deeper than",
        "blood everywhere",
        "throw|vomit|cough|spit up? blood",
        "spurt|spurting|gush|gushing|pour|pouring blood",
        "blood be spurt|spurting|gush|gushing|pour|pouring",
        "bleed|bleeding through",
        "will not stop bleeding",
    )),
    SafetyRule("danger", MEDICAL_EMERGENCY, VIOLENCE, (
        "@intend to? kill|hurt|shoot|stab me|us",
        "say|said|says he|she|they be? go to kill|hurt|shoot|stab me|us",
        "break|breaking in|into",
        "broke in|into",
        "try|trying to break|get in",
        "point|pointing a? @weapon at me|us",
        "he|she|they|someone|somebody have|has|got a @weapon outside|at|here|in|and|right",
        "man|guy|someone|somebody with a @weapon",
        "in danger right now",
        "immediate danger",
        "hide|hiding in the closet|bathroom|basement",
        "hold|holding me hostage",
        "make sure i|you|she|he never come|comes|get|gets back|out",
        "door|house|window|outside|me|here with a|his|her @weapon",
        "scared|afraid|fear for my life",
        "i be trapped",
        "fire in my|the house|apartment|building|room",
        "house|apartment|building be on fire",
        "be hit|hitting|beat|beating|choke|choking|strangle|strangling me right? now?",
        "threaten|threatening|threatened him|her|them|me|us with a @weapon",
    ), joke_applies=True),
)

# Mentions that make a message sensitive even when no rule above finds someone at risk.
TOPIC_MENTIONS: Dict[str, Tuple[str, ...]] = {
    SUICIDE: (
        "suicide|suicidal|suicidality|988",
        "kill|killed|killing @self",
        "take|took|taken|end|ended his|her|their|my own? life",
        "@want to? die",
        "=die|died by suicide",
        "lethal|deadly|fatal dose|amount|overdose",
        # "if this doesnt work i dont know what ill do": a soft warning sign, met with the gentle line and 988.
        "not know what i will do anymore|then? .",
        "if this|it|ketamine|that do? not work i do? not know what",
    ),
    SELF_HARM: (
        "self harm|harming|injury",
        "cut|cutting|burn|burning myself|himself|herself",
    ),
    OVERDOSE: (
        "overdose|overdosed|overdosing|narcan",
    ),
    MEDICAL: (
        "seizure|seizures|epilepsy|anaphylaxis|anaphylactic|unconscious|unresponsive|epipen",
        "heart attack|stroke",
        "allergic reaction",
        "pass|passing|passed out",
        "chest pain|pains|tightness",
    ),
}
