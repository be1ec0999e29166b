"""The hard cases of the spec, each by its general mechanism, on sentences of our own."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract import extract
from tracker.types import Article


def found(text: str, published: date | None = date(2023, 3, 1), title: str = ""):
    return extract(Article(text=text, id="t", published=published, title=title))


def dyads(text: str, published: date | None = date(2023, 3, 1)) -> set[tuple[str, str, str]]:
    return {(r.source, r.stance, t) for r in found(text, published) for t in r.targets or ("*",)}


def sources(text: str, published: date | None = date(2023, 3, 1)) -> set[tuple[str, str]]:
    return {(r.source, r.stance) for r in found(text, published)}


# --- people ------------------------------------------------------------------------


def test_hard_person_introduced_by_title_then_surname_then_he():
    text = (
        "Nigeria's foreign minister Geoffrey Onyeama arrived in Accra on Monday. "
        "Onyeama condemned the coup in Burkina Faso. "
        "He also urged all sides to exercise restraint."
    )
    assert sources(text) == {("NGA", "condemn"), ("NGA", "appeal")}
    assert {r.speaker for r in found(text)} == {"Geoffrey Onyeama"}


def test_hard_later_person_with_same_surname_takes_over():
    text = (
        "South Korea's foreign minister Park Jin spoke first. "
        "North Korea's foreign minister Choe Son Hui answered. "
        "Park condemned the launch. Choe rejected the criticism."
    )
    assert sources(text) == {("KOR", "condemn"), ("PRK", "reject")}


def test_hard_office_holder_list_places_unintroduced_people_by_date():
    text = "Blinken condemned the missile strike."
    assert sources(text, date(2022, 6, 1)) == {("USA", "condemn")}
    assert sources("Pompeo condemned the missile strike.", date(2022, 6, 1)) == set()
    assert sources("Pompeo condemned the missile strike.", date(2019, 6, 1)) == {("USA", "condemn")}


def test_hard_article_beats_office_holder_list():
    # The article says whom this Johnson speaks for; the list is not asked.
    text = "Johnson, a spokesman for the Canadian foreign ministry, denounced the raid."
    assert sources(text, date(2020, 6, 1)) == {("CAN", "condemn")}


def test_hard_postposed_speaker_with_title():
    text = (
        'The sanctions were "illegal and unjustified", said Mao Ning, '
        "a spokeswoman for the Chinese foreign ministry."
    )
    assert sources(text) == {("CHN", "condemn")}


def test_hard_speaker_named_after_the_words_before_said():
    assert sources('"We condemn this cowardly act," the Italian foreign minister said.') == {
        ("ITA", "condemn")}
    assert dyads("Serbia and Kosovo must return to talks, the Swedish envoy said.") == {
        ("SWE", "appeal", "*")}  # both sides told to talk: an appeal
    assert dyads("Sweden said Serbia and Kosovo must recognise each other.") == {
        ("SWE", "demand", "SRB"), ("SWE", "demand", "XKX")}
    assert sources("Thousands of illegal migrants crossed the border, the Greek coast guard said.") == set()


# --- places, possessives, metonyms ---------------------------------------------------


def test_hard_city_where_it_was_said_is_no_speaker():
    text = "In Tokyo, Indian Prime Minister Narendra Modi condemned the attack."
    assert sources(text) == {("IND", "condemn")}


def test_hard_unowned_office_after_an_opening_city_speaks_for_its_state():
    # "In Ankara, the foreign ministry ...": no other speaker, so the city's state;
    # a speaker with an actor of their own still wins.
    assert sources("In Ankara, the foreign ministry condemned the raid.") == {("TUR", "condemn")}
    assert sources("In Ankara, the Swedish foreign ministry condemned the raid.") == {("SWE", "condemn")}
    assert sources("Officials met in Ankara, and the foreign ministry condemned the raid.") == set()


def test_hard_may_the_name_or_month_is_no_modal():
    assert sources("Prime Minister Theresa May condemned the poisoning.", date(2018, 3, 14)) == {
        ("GBR", "condemn")}
    assert sources("In May, Chile condemned the raid.") == {("CHL", "condemn")}
    assert sources("Chile may condemn the raid.") == set()


def test_hard_spokesman_for_a_person_speaks_for_their_state():
    text = "A spokesman for Kenyan President William Ruto condemned the attack."
    assert sources(text, date(2023, 5, 1)) == {("KEN", "condemn")}


def test_hard_actor_joined_to_a_participle_is_a_target_not_a_speaker():
    assert dyads("Turkey condemned the Saudi-led strikes.") == {("TUR", "condemn", "SAU")}
    assert dyads("Norway criticised the U.S.-backed offensive.") == {("NOR", "condemn", "USA")}
    assert sources("The Russian-backed rebels condemned the vote.") == set()
    assert sources("A London-based group condemned the vote.") == set()


def test_hard_answer_to_measures_is_aimed_at_those_who_took_them():
    text = ("Poland and Lithuania expelled Belarusian diplomats on Monday. "
            "Belarus called the expulsions unjustified.")
    (answer,) = [r for r in found(text) if r.source == "BLR"]
    assert (answer.stance, answer.targets) == ("condemn", ("POL", "LTU"))
    assert answer.rule.endswith("+context-target")


def test_hard_concern_names_no_guessed_target():
    # Concern is about a situation; the article's main actor is not guessed for it,
    # while an unnamed condemned act still goes to its author.
    text = ("Russian forces shelled the port of Odesa on Monday. "
            "Moldova said it was deeply concerned. Romania condemned the shelling.")
    assert dyads(text) == {("MDA", "concern", "*"), ("ROU", "condemn", "RUS")}


def test_hard_target_named_in_the_sentence_beats_a_guessed_one():
    text = ("Poland and Lithuania expelled Belarusian diplomats on Monday. "
            "Belarus denied the charges and dismissed the Polish accusations as groundless.")
    (answer,) = [r for r in found(text) if r.source == "BLR"]
    assert (answer.stance, answer.targets) == ("reject", ("POL",))
    assert "+context-target" not in answer.rule


def test_hard_cue_that_is_the_object_of_another_is_no_act_of_its_own():
    # Australia's ultimatum is what Serbia rejects, not a threat by Serbia
    assert dyads("Serbia rejected an Australian ultimatum to hand over the guard.") == {
        ("SRB", "reject", "AUS")}
    assert ("CHL", "condemn") in sources("Chile rejected the Peruvian claim and Chile's envoy condemned it.")


def test_hard_nationality_after_a_place_names_a_people_not_its_state():
    targets = {t for _, _, t in dyads("Canada condemned attacks by Bosnian Croat militias.")}
    assert "HRV" not in targets
    assert ("SRB", "condemn") not in sources("Kosovo Serb leaders condemned the arrests.")


def test_hard_body_a_complaint_is_addressed_to_is_not_its_target():
    assert dyads("Lebanon complained to the United Nations over Israeli air raids.") == {
        ("LBN", "protest", "ISR")}
    assert dyads("Lebanon complained to the United Nations.") == {("LBN", "protest", "UN")}


def test_hard_name_with_a_joined_particle_is_one_name():
    text = "Foreign Minister Adel al-Jubeir condemned the raid."
    assert sources(text, date(2017, 6, 5)) == {("SAU", "condemn")}


def test_hard_ambiguous_name_in_a_list_of_states_is_a_state():
    text = "The raid was condemned by Egypt, Jordan and the United Arab Emirates."
    assert sources(text) == {("EGY", "condemn"), ("JOR", "condemn"), ("ARE", "condemn")}
    assert sources("Michael Jordan and his team condemned the decision.") == set()


def test_hard_a_blocked_text_condemns_no_one():
    found_ = sources("Russia vetoed a draft resolution condemning the coup in Niger.")
    assert ("RUS", "condemn") not in found_ and ("RUS", "reject") in found_


def test_hard_organ_of_an_organisation_speaks_for_it():
    text = "The AU's Peace and Security Council suspended Gabon from all the bloc's activities."
    assert sources(text) == {("AU", "sanction")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin rejected the accusations.", {("RUS", "reject")}),
        ("Downing Street condemned the attack.", {("GBR", "condemn")}),
        ("Ankara summoned the Swedish ambassador.", {("TUR", "protest")}),
        ("The Elysee expressed deep concern.", {("FRA", "concern")}),
        ("Britons condemned the plan.", {("GBR", "condemn")}),
        ("The UAE welcomed the ceasefire.", {("ARE", "support")}),
    ],
)
def test_hard_metonyms_demonyms_and_abbreviations_speak_for_the_state(text, expected):
    assert sources(text) == expected


def test_hard_possessive_actor_is_a_target_not_a_speaker():
    assert dyads("Poland condemned Russia's actions in Ukraine.") == {("POL", "condemn", "RUS")}


def test_hard_possessive_institution_speaks():
    assert sources("Israel's military declined to comment.") == {("ISR", "no_comment")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Georgia condemned the Russian strikes on Ukraine.", {("GEO", "condemn")}),
        ("Georgia's foreign ministry condemned the strikes.", {("GEO", "condemn")}),
        ("Voters in Georgia condemned the new law.", set()),
        ("Michael Jordan condemned the decision.", set()),
        ("Jordan condemned the raid on the mosque.", {("JOR", "condemn")}),
        ("The Democratic Republic of the Congo accused Rwanda of backing the rebels.", {("COD", "condemn")}),
        ("Congo-Brazzaville urged restraint.", {("COG", "appeal")}),
    ],
)
def test_hard_ambiguous_names_by_context(text, expected):
    assert sources(text) == expected


# --- sources: compound, passive -------------------------------------------------------


def test_hard_compound_source_three_states():
    text = "Estonia, Latvia and Lithuania expelled Russian diplomats."
    assert dyads(text) == {("EST", "sanction", "RUS"), ("LVA", "sanction", "RUS"), ("LTU", "sanction", "RUS")}


def test_hard_passive_with_by():
    text = "New sanctions were imposed on Iran by the European Union."
    assert dyads(text) == {("EU", "sanction", "IRN")}


# --- modality -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Brazil did not condemn the invasion.",
        "Brazil has not condemned the invasion.",
        "Did Brazil condemn the invasion?",
        "Brazil might impose sanctions if the talks collapse.",
        "Brazil refused to condemn the invasion.",
        # an act named as the content of someone's proposal, not done
        "Uruguay discussed a plan for supporting the Argentine bid.",
        # advice to one's own people is no reaction to anyone
        "Japan urged its citizens to avoid all travel to Haiti.",
        "Brazil was unlikely to condemn the invasion.",
    ],
)
def test_hard_non_acts(text):
    assert sources(text) == set()


def test_hard_conditional_threat_is_a_threat():
    text = "Seoul said it would respond with all available measures if Pyongyang sent more troops."
    assert ("KOR", "threaten") in sources(text)


# --- stances ------------------------------------------------------------------------


def test_hard_summons_is_protest_not_consultation():
    (r,) = found("Madrid summoned Morocco's ambassador.")
    assert (r.source, r.stance, r.targets, r.cameo) == ("ESP", "protest", ("MAR",), "114")


def test_hard_demand_names_a_party_appeal_does_not():
    assert dyads("Kenya called on Ethiopia to withdraw its troops.") == {("KEN", "demand", "ETH")}
    assert dyads("Kenya called on all parties to cease hostilities.") == {("KEN", "appeal", "*")}


@pytest.mark.parametrize(
    "text",
    [
        "Defence experts condemned the decision.",
        "Rebel leaders threatened to attack the capital.",
        "Opposition leader Juan Perez condemned the government.",
        "State media denounced the visit.",
        "The Hungarians of northern Serbia demanded more schools.",
    ],
)
def test_hard_non_state_voices_are_not_states(text):
    assert sources(text) == set()


# --- quotes ---------------------------------------------------------------------------


def test_hard_quote_attached_to_its_speaker():
    text = (
        'Irish Foreign Minister Micheal Martin said the strikes were "utterly unacceptable". '
        'Dutch Prime Minister Mark Rutte said the Netherlands "stands with Ukraine".'
    )
    by_source = {r.source: r for r in found(text)}
    assert by_source["IRL"].quote == "utterly unacceptable"
    assert by_source["NLD"].quote == "stands with Ukraine"


def test_hard_the_north_in_an_article_about_north_korea():
    text = "North Korea fired a missile on Monday. South Korea accused the North of violating the truce."
    assert dyads(text) == {("KOR", "condemn", "PRK")}
    assert sources("Residents of North Darfur condemned the raid.") == set()


def test_hard_penalty_promised_on_a_condition_is_a_threat():
    text = "Nigeria said it will withdraw its troops from Chad unless the fighting stops."
    assert dyads(text) == {("NGA", "threaten", "TCD")}


def test_hard_penalty_announced_for_later_is_a_threat_and_taken_is_a_sanction():
    (later,) = found("Ghana said it would suspend all military cooperation with Togo.")
    assert (later.source, later.stance, later.targets) == ("GHA", "threaten", ("TGO",))
    assert later.rule.startswith("sanction.suspend+promised")
    assert dyads("Ghana suspended all military cooperation with Togo.") == {("GHA", "sanction", "TGO")}


def test_hard_subject_of_a_clause_opened_by_as_or_after_speaks():
    # "as", "after" open a clause here; the opposition, not the president, threatens.
    assert sources("President Ali Mahama resigned as the opposition threatened to march.") == set()
    assert ("KEN", "condemn") in sources("Tanzania closed the border after Kenya condemned the raid.")
    assert sources("Canada, as a member of NATO, condemned the strike.") == {("CAN", "condemn")}


def test_hard_headline_names_the_target_of_an_unnamed_act():
    found_ = found("Canada condemned the launch.", title="Japan condemns North Korean missile launch")
    assert [(r.source, r.targets) for r in found_] == [("CAN", ("PRK",))]
    assert found_[0].rule.endswith("+context-target")


def test_hard_compound_source_each_keeps_its_own_speaker():
    text = (
        "Russian President Vladimir Putin and China's foreign ministry "
        "congratulated Maduro on his victory."
    )
    assert {(r.source, r.speaker) for r in found(text)} == {("RUS", "Vladimir Putin"), ("CHN", "")}


# --- institutional voices ------------------------------------------------------------


def test_hard_first_person_in_a_briefing_is_the_spokesperson_state():
    text = ("Q: Ghana arrested 40 Chinese miners on Monday. What is your comment?\n\n"
            "A: We urge Ghana to reopen the crossing at once.")
    title = "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on May 3, 2023"
    assert {(r.source, r.stance, r.targets) for r in found(text, date(2023, 5, 3), title)} == {
        ("CHN", "demand", ("GHA",))}


def test_hard_first_person_statement_speaks_for_the_state_of_its_first_sentence():
    text = ("The Ministry of Foreign Affairs of Peru strongly condemns the attack on its embassy. "
            "We call on Bolivia to guarantee the safety of diplomatic premises.")
    assert ("PER", "demand", "BOL") in dyads(text)


def test_hard_we_inside_a_quotation_is_whoever_is_quoted():
    text = ('The Ministry of Foreign Affairs of Peru issued a statement on Monday. '
            '"We call on Bolivia to act," Chile\'s foreign minister said.')
    assert ("CHL", "demand", "BOL") in dyads(text)
    assert ("PER", "demand", "BOL") not in dyads(text)


# --- many actors in one sentence -------------------------------------------------------


def test_hard_they_after_a_list_of_sources_is_every_one_of_them():
    text = "Norway, Sweden and Finland said they were alarmed by the Russian raids."
    assert sources(text) == {("NOR", "concern"), ("SWE", "concern"), ("FIN", "concern")}


def test_hard_the_three_countries_is_the_latest_list_named():
    text = ("Kenya, Uganda and Tanzania closed their borders to Somali traders on Monday. "
            "Somalia condemned the decision of the three countries.")
    assert {t for s, _, t in dyads(text) if s == "SOM"} == {"KEN", "UGA", "TZA"}


def test_hard_a_list_in_the_headline_is_the_guessed_target_whole():
    found_ = extract(Article(
        text="Egypt condemned the strikes on Tuesday.", id="t", published=date(2023, 3, 1),
        title="Strikes on Yemen by Britain and the United States draw criticism"))
    assert {t for r in found_ for t in r.targets} == {"GBR", "USA"}


# --- cues by meaning, not by stock verb --------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    # threats without a threat verb
    ("Iran said it would take every measure necessary to protect its ships.", ("IRN", "threaten")),
    ("Seoul said all options were on the table.", ("KOR", "threaten")),
    ("Turkey said it would not stand idly by.", ("TUR", "threaten")),
    ("India said it would respond in kind.", ("IND", "threaten")),
    ("Chile said it would use all available means to defend its fishermen.", ("CHL", "threaten")),
    # sanctions vocabulary
    ("Germany said it was pausing development aid to Niger.", ("DEU", "sanction")),
    ("Canada broke off relations with Iran.", ("CAN", "sanction")),
    ("Spain halted arms exports to Israel.", ("ESP", "sanction")),
    # claims denied, no comment, dissociation
    ("Hungary said the reports were utterly false.", ("HUN", "reject")),
    ("Peru wishes to dissociate itself from the declaration.", ("PER", "reject")),
    ("Egypt said it had no information to offer on the matter.", ("EGY", "no_comment")),
    ("Kenya said it was not in a position to verify the claims.", ("KEN", "no_comment")),
    # evaluations
    ("Italy called the tariffs counterproductive.", ("ITA", "condemn")),
    ("Poland called the strikes necessary and appropriate.", ("POL", "support")),
    ("Norway called for a peaceful transfer of power.", ("NOR", "appeal")),
    ("Japan urged an immediate end to the hostilities.", ("JPN", "appeal")),
])
def test_hard_cue_by_meaning(text, expected):
    assert expected in sources(text)


def test_hard_names_in_an_opening_participial_phrase_are_places_not_speakers():
    text = ("European Commission President Ursula von der Leyen spoke on Thursday. "
            "Speaking in Samarkand, Uzbekistan, she said the bloc was preparing countermeasures "
            "against the United States.")
    assert sources(text, date(2025, 4, 3)) == {("EU", "threaten")}


def test_hard_a_portfolio_word_belongs_to_the_title():
    text = "Britain's Business Secretary Jonathan Reynolds expressed regret at the levy."
    assert sources(text, date(2025, 4, 3)) == {("GBR", "concern")}


# --- targets by role ---------------------------------------------------------------------


def test_hard_a_non_state_author_means_no_guessed_target():
    text = "Hamas fighters attacked southern Israel on Saturday. France condemned the attack."
    assert dyads(text) == {("FRA", "condemn", "*")}
    # a state as author is still guessed
    text = "Russian forces attacked Kharkiv on Saturday. France condemned the attack."
    assert dyads(text) == {("FRA", "condemn", "RUS")}
