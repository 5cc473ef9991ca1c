"""The bundled letters' wording, in bokmål and nynorsk: one block list per written standard.

A block is ``("h", text)`` (a heading), ``("p", text)`` (a paragraph), ``("keep", text)`` (a
paragraph kept on the page of the next one: a table's introduction, the signature block),
``("tag", jinja)`` (a paragraph-level tag, ``{%p … %}``) or ``("table", headers, cells, loop, widths)``. Fields are the
engine's (:data:`allocation.model.letters.FIELDS`). The wording follows the state's rules for
grant letters (Bestemmelser om økonomistyring i staten 6.3.3: purpose, amount, conditions,
reporting and when, control by the grantor and Riksrevisjonen, repayment) and the
Public Administration Act §§ 27–29 (the right to appeal, three weeks, where to send it).
"""

from __future__ import annotations

from typing import Any

Block = tuple[Any, ...]

# Column widths in cm (the text area is 16.6 cm wide): wide enough that no org.nr., account number or
# amount is broken over two lines.
PARTS_CM = (4.4, 3.0, 9.2)
PAYMENTS_CM = (1.3, 3.3, 2.7, 3.3, 3.3, 2.7)
YEARS_CM = (3.0, 3.0)
EARLIER_CM = (4.0, 2.8, 1.8, 3.6, 2.2, 2.2)  # decision, network, year, recipient, org.nr., amount

_WHO = "{% if er_nettverk %}nettverket {{ nettverk }}{% else %}{{ mottaker }}{% endif %}"
_NB_PART = (
    '{% if d.fordeling == "nokkel" %}Andel av {{ d.pott_belop }} etter {{ d.nokkel }}: '
    "{{ d.verdi }} av {{ d.sum_verdi }} i fylket"
    '{% elif d.fordeling == "fast" %}Fast beløp per nettverk'
    "{% else %}{{ d.pott_belop }} delt likt mellom nettverkene{% endif %}"
)
_NN_PART = (
    '{% if d.fordeling == "nokkel" %}Del av {{ d.pott_belop }} etter {{ d.nokkel }}: '
    "{{ d.verdi }} av {{ d.sum_verdi }} i fylket"
    '{% elif d.fordeling == "fast" %}Fast beløp per nettverk'
    "{% else %}{{ d.pott_belop }} delt likt mellom nettverka{% endif %}"
)
_PAY_CELLS = (
    "{% if u.rolle == 'eier' %}ROLE_OWNER{% else %}UH{% endif %}",
    "{{ u.mottaker }}",
    "{{ u.orgnr }}",
    "{{ u.konto }}",
    "{{ u.referanse }}",
    "{{ u.belop }}",
)

BOKMAAL: list[Block] = [
    ("p", "Statsforvalteren i {{ fylke }}"),
    ("p", "Vår dato: {{ vedtaksdato }}     Vår referanse: {{ saksnummer }}"),
    ("p", "Saksbehandler: {{ saksbehandler }}{% if saksbehandler_tittel %}, {{ saksbehandler_tittel }}{% endif %}"),
    ("p", "Til: {{ mottaker }}{% if mottaker_orgnr %}, org.nr. {{ mottaker_orgnr }}{% endif %}"),
    (
        "title",
        "{% if er_vedtak %}Vedtak om tilskudd{% else %}Rammebrev{% endif %} – Kompetanseløftet for "
        "spesialpedagogikk og inkluderende praksis {{ aar }}{% if er_nettverk %} – {{ nettverk }}{% endif %}",
    ),
    ("tag", "{%p if er_vedtak %}"),
    (
        "p",
        "{% if er_nettverk and not utbetalinger %}Nettverket {{ nettverk }} har ikke søkt om tilskudd for {{ aar }}. "
        "Statsforvalteren har derfor vedtatt et tilskudd på {{ belop }} til nettverket i år. Rammen for nettverket "
        "var {{ ramme }}.{% else %}"
        f"Statsforvalteren i {{{{ fylke }}}} har vedtatt å gi {_WHO} et tilskudd på {{{{ belop }}}} for {{{{ aar }}}}."
        "{% endif %}",
    ),
    ("tag", "{%p else %}"),
    (
        "p",
        f"Rammen for {_WHO} for {{{{ aar }}}} er {{{{ belop }}}}. Rammen er det høyeste beløpet dere kan få i "
        "tilskudd i år. Tilskuddet blir fastsatt i et eget vedtak når søknadene er behandlet.",
    ),
    ("tag", "{%p endif %}"),
    ("h", "Formålet med tilskuddet"),
    (
        "p",
        "{% if formaal %}{{ formaal }}{% else %}Tilskuddet skal styrke kompetansen i spesialpedagogikk og "
        "inkluderende praksis i barnehager og skoler, gjennom tiltak som eiere og universiteter og "
        "høgskoler (UH) planlegger og gjennomfører sammen i nettverket.{% endif %}",
    ),
    ("tag", "{%p if deler and not er_vedtak %}"),
    ("h", "Slik er rammen regnet ut"),
    ("keep", "Rammen på {{ ramme }} er summen av disse delene:"),
    (
        "table",
        ("Del", "Beløp", "Slik er delen funnet"),
        ("{{ d.navn }}", "{{ d.belop }}", _NB_PART),
        "d in deler",
        PARTS_CM,
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if er_vedtak and (utbetalinger or not er_nettverk) %}"),
    ("h", "Tilskudd og utbetaling"),
    (
        "p",
        "Tilskuddet for {{ aar }} er {{ tilskudd }}{% if er_nettverk %}: {{ eier_belop }} til eieren og "
        "{{ uh_belop }} til UH-partneren{% if uh_partner %} {{ uh_partner }}{% endif %}. "
        "Rammen for nettverket var {{ ramme }}{% endif %}.",
    ),
    ("tag", "{%p if utbetalinger %}"),
    ("keep", "Tilskuddet blir utbetalt{% if utbetalingsdato %} {{ utbetalingsdato }}{% endif %} slik:"),
    (
        "table",
        ("Rolle", "Mottaker", "Org.nr.", "Kontonummer", "Referanse", "Beløp"),
        tuple(c.replace("ROLE_OWNER", "Eier") for c in _PAY_CELLS),
        "u in utbetalinger",
        PAYMENTS_CM,
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if fondstrekk %}"),
    ("p", "Ubrukte midler fra tidligere år står på fond og er trukket fra utbetalingen: {{ fondstrekk }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if rapporttrekk %}"),
    ("p", "Ubrukte midler fra tidligere tilskudd er trukket fra utbetalingen: {{ rapporttrekk }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if senere_aar %}"),
    ("keep", "Tilsagn for de neste årene, med forbehold om Stortingets budsjettvedtak:"),
    ("table", ("År", "Beløp"), ("{{ s.aar }}", "{{ s.belop }}"), "s in senere_aar", YEARS_CM),
    ("tag", "{%p endif %}"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if tidligere_tilsagn %}"),
    ("h", "Tilsagn fra tidligere vedtak"),
    (
        "p",
        "Tilsagn som er gitt i tidligere vedtak, og som utbetales for {{ aar }}, {% if er_nettverk %}kommer i "
        "tillegg{% else %}er med i beløpet over{% endif %}: {{ tidligere_tilsagn_sum }} i alt.",
    ),
    (
        "table",
        ("Vedtak", "Nettverk", "År i partnerskapet", "Mottaker", "Org.nr.", "Beløp"),
        ("{{ t.vedtak }}", "{{ t.nettverk }}", "{{ t.aar }}", "{{ t.mottaker }}", "{{ t.orgnr }}", "{{ t.belop }}"),
        "t in tidligere_tilsagn",
        EARLIER_CM,
    ),
    ("tag", "{%p endif %}"),
    ("h", "Vilkår"),
    (
        "p",
        "Tilskuddet skal bare brukes til formålet over og etter planen {% if er_vedtak %}i søknaden{% else %}dere "
        "legger fram i søknaden{% endif %}.{% if er_nettverk %} Eieren og "
        "UH-partneren skal samarbeide om tiltakene.{% endif %} Midler som ikke er brukt innen året, skal "
        "rapporteres.",
    ),
    ("h", "Rapportering"),
    (
        "p",
        "Dere skal sende en rapport om hva tilskuddet er brukt til, hva tiltakene har ført til, og et "
        "regnskap for tilskuddet innen {{ rapporteringsfrist }}.",
    ),
    ("h", "Kontroll"),
    (
        "p",
        "Statsforvalteren og Riksrevisjonen kan kontrollere at tilskuddet blir brukt etter forutsetningene, "
        "jf. bevilgningsreglementet § 10 andre ledd.",
    ),
    ("h", "Tilbakebetaling"),
    (
        "p",
        "Tilskudd som ikke blir brukt etter formålet og vilkårene, eller som er gitt på grunnlag av uriktige "
        "opplysninger, kan kreves betalt tilbake. Det samme gjelder midler som ikke er brukt og ikke kan "
        "overføres til neste år.",
    ),
    ("h", "Klagerett"),
    (
        "p",
        "Dere kan klage på {% if er_vedtak %}vedtaket{% else %}rammen{% endif %} innen tre uker etter at dere "
        "har mottatt dette brevet, jf. "
        "forvaltningsloven §§ 28 og 29. Klagefristen er {{ klagefrist }}. Send klagen til "
        "{{ klageadresse }}. Forklar hva dere klager på og hvilken endring dere ønsker.",
    ),
    ("keep", "Med hilsen"),
    ("keep", "{{ beslutningstaker }}{% if beslutningstaker_tittel %}, {{ beslutningstaker_tittel }}{% endif %}"),
    ("p", "{{ saksbehandler }}{% if saksbehandler_tittel %}, {{ saksbehandler_tittel }}{% endif %}"),
    (
        "small",
        "Dokumentet er godkjent elektronisk og har derfor ingen håndskrevet signatur. Saken er behandlet av "
        "{{ saksbehandler }} og avgjort av {{ beslutningstaker }}.",
    ),
    (
        "small",
        "Sporing: brevet er laget av kjøringen «{{ kjoring }}» med fingeravtrykk {{ fingeravtrykk }}. "
        "Fingeravtrykket står i kjøringens manifest.json og viser hvilken konfigurasjon og hvilke tall "
        "beløpene kommer fra.",
    ),
]

NYNORSK: list[Block] = [
    ("p", "Statsforvaltaren i {{ fylke }}"),
    ("p", "Vår dato: {{ vedtaksdato }}     Vår referanse: {{ saksnummer }}"),
    ("p", "Saksbehandlar: {{ saksbehandler }}{% if saksbehandler_tittel %}, {{ saksbehandler_tittel }}{% endif %}"),
    ("p", "Til: {{ mottaker }}{% if mottaker_orgnr %}, org.nr. {{ mottaker_orgnr }}{% endif %}"),
    (
        "title",
        "{% if er_vedtak %}Vedtak om tilskot{% else %}Rammebrev{% endif %} – Kompetanseløftet for "
        "spesialpedagogikk og inkluderande praksis {{ aar }}{% if er_nettverk %} – {{ nettverk }}{% endif %}",
    ),
    ("tag", "{%p if er_vedtak %}"),
    (
        "p",
        "{% if er_nettverk and not utbetalinger %}Nettverket {{ nettverk }} har ikkje søkt om tilskot for {{ aar }}. "
        "Statsforvaltaren har difor gjort vedtak om eit tilskot på {{ belop }} til nettverket i år. Ramma for "
        "nettverket var {{ ramme }}.{% else %}"
        "Statsforvaltaren i {{ fylke }} har gjort vedtak om å gje "
        + _WHO
        + " eit tilskot på {{ belop }} for {{ aar }}.{% endif %}",
    ),
    ("tag", "{%p else %}"),
    (
        "p",
        f"Ramma for {_WHO} for {{{{ aar }}}} er {{{{ belop }}}}. Ramma er det høgaste beløpet de kan få i "
        "tilskot i år. Tilskotet vert fastsett i eit eige vedtak når søknadene er handsama.",
    ),
    ("tag", "{%p endif %}"),
    ("h", "Formålet med tilskotet"),
    (
        "p",
        "{% if formaal %}{{ formaal }}{% else %}Tilskotet skal styrkje kompetansen i spesialpedagogikk og "
        "inkluderande praksis i barnehagar og skular, gjennom tiltak som eigarar og universitet og "
        "høgskular (UH) planlegg og gjennomfører saman i nettverket.{% endif %}",
    ),
    ("tag", "{%p if deler and not er_vedtak %}"),
    ("h", "Slik er ramma rekna ut"),
    ("keep", "Ramma på {{ ramme }} er summen av desse delane:"),
    (
        "table",
        ("Del", "Beløp", "Slik er delen funnen"),
        ("{{ d.navn }}", "{{ d.belop }}", _NN_PART),
        "d in deler",
        PARTS_CM,
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if er_vedtak and (utbetalinger or not er_nettverk) %}"),
    ("h", "Tilskot og utbetaling"),
    (
        "p",
        "Tilskotet for {{ aar }} er {{ tilskudd }}{% if er_nettverk %}: {{ eier_belop }} til eigaren og "
        "{{ uh_belop }} til UH-partnaren{% if uh_partner %} {{ uh_partner }}{% endif %}. "
        "Ramma for nettverket var {{ ramme }}{% endif %}.",
    ),
    ("tag", "{%p if utbetalinger %}"),
    ("keep", "Tilskotet vert utbetalt{% if utbetalingsdato %} {{ utbetalingsdato }}{% endif %} slik:"),
    (
        "table",
        ("Rolle", "Mottakar", "Org.nr.", "Kontonummer", "Referanse", "Beløp"),
        tuple(c.replace("ROLE_OWNER", "Eigar") for c in _PAY_CELLS),
        "u in utbetalinger",
        PAYMENTS_CM,
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if fondstrekk %}"),
    ("p", "Ubrukte midlar frå tidlegare år står på fond og er trekte frå utbetalinga: {{ fondstrekk }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if rapporttrekk %}"),
    ("p", "Ubrukte midlar frå tidlegare tilskot er trekte frå utbetalinga: {{ rapporttrekk }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if senere_aar %}"),
    ("keep", "Tilsegn for dei neste åra, med atterhald om budsjettvedtaket i Stortinget:"),
    ("table", ("År", "Beløp"), ("{{ s.aar }}", "{{ s.belop }}"), "s in senere_aar", YEARS_CM),
    ("tag", "{%p endif %}"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if tidligere_tilsagn %}"),
    ("h", "Tilsegn frå tidlegare vedtak"),
    (
        "p",
        "Tilsegn som er gitt i tidlegare vedtak, og som vert utbetalte for {{ aar }}, {% if er_nettverk %}kjem i "
        "tillegg{% else %}er med i beløpet over{% endif %}: {{ tidligere_tilsagn_sum }} i alt.",
    ),
    (
        "table",
        ("Vedtak", "Nettverk", "År i partnarskapet", "Mottakar", "Org.nr.", "Beløp"),
        ("{{ t.vedtak }}", "{{ t.nettverk }}", "{{ t.aar }}", "{{ t.mottaker }}", "{{ t.orgnr }}", "{{ t.belop }}"),
        "t in tidligere_tilsagn",
        EARLIER_CM,
    ),
    ("tag", "{%p endif %}"),
    ("h", "Vilkår"),
    (
        "p",
        "Tilskotet skal berre nyttast til formålet over og etter planen {% if er_vedtak %}i søknaden{% else %}de "
        "legg fram i søknaden{% endif %}.{% if er_nettverk %} Eigaren "
        "og UH-partnaren skal samarbeide om tiltaka.{% endif %} Midlar som ikkje er brukte innan året, skal "
        "rapporterast.",
    ),
    ("h", "Rapportering"),
    (
        "p",
        "De skal sende ein rapport om kva tilskotet er brukt til, kva tiltaka har ført til, og ein "
        "rekneskap for tilskotet innan {{ rapporteringsfrist }}.",
    ),
    ("h", "Kontroll"),
    (
        "p",
        "Statsforvaltaren og Riksrevisjonen kan kontrollere at tilskotet vert brukt etter føresetnadene, "
        "jf. løyvingsreglementet § 10 andre ledd.",
    ),
    ("h", "Tilbakebetaling"),
    (
        "p",
        "Tilskot som ikkje vert brukt etter formålet og vilkåra, eller som er gitt på grunnlag av uriktige "
        "opplysningar, kan krevjast betalt tilbake. Det same gjeld midlar som ikkje er brukte og ikkje kan "
        "overførast til neste år.",
    ),
    ("h", "Klagerett"),
    (
        "p",
        "De kan klage på {% if er_vedtak %}vedtaket{% else %}ramma{% endif %} innan tre veker etter at de har "
        "fått dette brevet, jf. "
        "forvaltningslova §§ 28 og 29. Klagefristen er {{ klagefrist }}. Send klaga til "
        "{{ klageadresse }}. Forklar kva de klagar på, og kva endring de ønskjer.",
    ),
    ("keep", "Med helsing"),
    ("keep", "{{ beslutningstaker }}{% if beslutningstaker_tittel %}, {{ beslutningstaker_tittel }}{% endif %}"),
    ("p", "{{ saksbehandler }}{% if saksbehandler_tittel %}, {{ saksbehandler_tittel }}{% endif %}"),
    (
        "small",
        "Dokumentet er godkjent elektronisk og har difor inga handskriven underskrift. Saka er handsama av "
        "{{ saksbehandler }} og avgjord av {{ beslutningstaker }}.",
    ),
    (
        "small",
        "Sporing: brevet er laga av køyringa «{{ kjoring }}» med fingeravtrykk {{ fingeravtrykk }}. "
        "Fingeravtrykket står i manifest.json for køyringa og viser kva konfigurasjon og kva tal "
        "beløpa kjem frå.",
    ),
]
