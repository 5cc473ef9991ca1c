"""Catalogue entries: decision letters ([letters], Målform, letter templates, verify of letters)."""

from __future__ import annotations

from .entry import _RERUN, E, Entry

_TEMPLATE_FIX = "Rett malen i Word (se de medfølgende brevmalene og listen over felt i brukerveiledningen)."

ENTRIES: tuple[Entry, ...] = (
    Entry(
        "config.letters_language",
        E,
        "Ukjent målform i [letters]",
        "Målformen «{målform}» er ukjent.",
        "Skriv «bokmål» eller «nynorsk» (nb/nn), eller legg til en mal for målformen under [letters.templates].",
    ),
    Entry(
        "letters.unknown_standard",
        E,
        "Ukjent målform i kolonnen «Målform»",
        "Målformen «{målform}» er ukjent; kjente målformer er {målformer}.",
        "Skriv bokmål eller nynorsk (nb/nn), eller legg til en brevmal for målformen under [letters.templates].",
    ),
    Entry(
        "letters.standard_conflict",
        E,
        "Radene til et nettverk har ulik målform",
        "Radene til nettverket har ulik målform ({celler}), og det er ikke gitt hvilken eier som mottar "
        "tilskuddet, så brevets målform kan ikke avgjøres.",
        "Skriv samme målform på alle radene til nettverket, eller la bare den mottakende eierens rad ha målform.",
    ),
    Entry(
        "letters.template_unreadable",
        E,
        "Brevmalen kan ikke leses",
        "Brevmalen for {målform} kan ikke leses som Word-dokument med felt ({feil}).",
        "Lagre malen som .docx i Word, og sjekk at hvert felt står som {{ navn }} og hver kode som {% … %}.",
    ),
    Entry(
        "letters.template_missing_field",
        E,
        "Brevmalen mangler et felt hvert brev skal ha",
        "Brevmalen {mal} ({målform}) mangler feltet {felt}; hvert brev skal ha det.",
        _TEMPLATE_FIX,
    ),
    Entry(
        "letters.template_unknown_field",
        E,
        "Brevmalen bruker et felt programmet ikke kjenner",
        "Brevmalen {mal} ({målform}) bruker feltet {felt}, som programmet ikke kjenner.",
        _TEMPLATE_FIX,
    ),
    Entry(
        "letters.sheet_headers",
        E,
        "Arket «Brev» mangler overskrifter",
        "Arket «Brev» mangler kolonnen {kolonne}, så ingen verdier i arket kan leses.",
        "Skriv overskriftene Felt, Verdi og Vedtak i første rad av arket, eller slett arket om verdiene står "
        "under [letters].",
    ),
    Entry(
        "letters.sheet_unknown_field",
        E,
        "Ukjent felt i arket «Brev»",
        "Feltet «{felt}» er ukjent i arket «Brev».",
        "Bruk feltene i brukerveiledningen (Vedtaksdato, Saksnummer, Saksbehandler …).",
    ),
    Entry(
        "letters.sheet_bad_value",
        E,
        "En dato i arket «Brev» kan ikke leses",
        "«{felt}» skal være en dato, fant «{verdi}».",
        "Skriv datoen som dd.mm.åååå, f.eks. 14.03.2026.",
    ),
    Entry(
        "letters.given_twice",
        E,
        "En verdi for brevene står to steder",
        "«{felt}» står både i arket «Brev» og som {nøkkel} under [letters] i {fil}.",
        "Skriv verdien bare ett sted: ta den bort fra konfigurasjonen eller fra arket.",
    ),
    Entry(
        "verify.letter_differs",
        E,
        "Teksten i et brev er endret",
        "Teksten i avsnitt/celle {nr} er endret: «{i brevet}» i brevet, «{ny}» ved ny kjøring.",
        _RERUN,
    ),
)
