"""Read a repair invoice from its content, then check it (issue 28).

Where the facts come from, best first: the Factur-X / ZUGFeRD XML embedded in the PDF (the
`factur-x` library finds it; French e-invoicing makes it the norm from 2026-2027), else the PDF's
text layer (pypdf, the first pages only). A photographed invoice (an image, or a scanned PDF
without text) is not read here: that needs OCR (the reading engine), and the reading says
"aucun texte".

What is read: number, date, the seller's SIRET (or SIREN) and VAT number, totals HT / TVA /
TTC and the VAT rate. The checks (`checks`) are made when shown, against the dossier as it is
then: the SIRET's and VAT number's keys (python-stdnum), the SIRET against the garage's, HT +
TVA = TTC, the VAT rate (20 % for repairs), and the total HT against what was agreed (the
dossier's repair amount plus the accepted supplements).

A reading never raises: a hostile or broken file gives a reading that says so.
"""

import io
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from connect.lib.money import format_euros

logger = logging.getLogger(__name__)

MAX_PAGES = 5
MAX_TEXT = 200_000
MAX_XML = 2 * 1024 * 1024
STANDARD_RATE = Decimal("20")
CENT = Decimal("0.01")
# A total computed line by line may differ from HT × rate by a few cents of rounding.
RATE_TOLERANCE = Decimal("0.05")

FACTURX = "facturx"
TEXT = "text"
NONE = "none"

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


@dataclass
class InvoiceReading:
    """What was read (strings, JSON-ready: stored on Invoice.reading and Document.readings)."""

    source: str = NONE
    number: str = ""
    issued_on: str = ""  # ISO date
    siret: str = ""  # 14 digits, or the SIREN's 9 when only it is given
    vat_number: str = ""
    total_excl_vat: str = ""
    total_vat: str = ""
    total_incl_vat: str = ""
    vat_rate: str = ""  # percent
    problem: str = ""  # why nothing was read

    def as_dict(self) -> dict:
        return {"kind": "invoice", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "InvoiceReading":
        names = cls.__dataclass_fields__
        return cls(**{k: str(v) for k, v in data.items() if k in names})

    @property
    def source_label(self) -> str:
        return {
            FACTURX: "lue dans les données Factur-X du PDF",
            TEXT: "lue dans le texte du PDF",
        }.get(self.source, "non lue")


def read_invoice(data: bytes) -> InvoiceReading:
    """The facts of an invoice PDF's bytes; never raises."""
    if not data.startswith(b"%PDF"):
        return InvoiceReading(problem="Pas un PDF : une facture photographiée n'est pas lue.")
    try:
        reading = _from_facturx(data)
        if reading is None:
            reading = _from_text(data)
    except Exception:  # a hostile PDF must not stop the invoice
        logger.warning("invoice PDF unreadable", exc_info=True)
        return InvoiceReading(problem="PDF illisible.")
    return reading


# Factur-X ---------------------------------------------------------------------------------


def _from_facturx(data: bytes) -> InvoiceReading | None:
    from facturx import get_xml_from_pdf

    # factur-x logs at ERROR when a PDF carries no XML: most do, it is no error here.
    quiet = logging.getLogger("factur-x")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        _name, xml = get_xml_from_pdf(io.BytesIO(data), check_xsd=False)
    finally:
        quiet.level = level
    if not xml or len(xml) > MAX_XML:
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    root = etree.fromstring(xml, parser=parser)
    if etree.QName(root).localname != "CrossIndustryInvoice":
        return None  # UBL inside a PDF is rare; its text layer is read instead

    def text(path: str) -> str:
        found = root.find(path, NS)
        return (found.text or "").strip() if found is not None else ""

    seller = (
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
    )
    settlement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    sums = f"{settlement}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    issued = text("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")
    vat_ids = [
        (node.text or "").strip()
        for node in root.findall(f"{seller}/ram:SpecifiedTaxRegistration/ram:ID", NS)
        if node.get("schemeID") == "VA"
    ]
    return InvoiceReading(
        source=FACTURX,
        number=text("rsm:ExchangedDocument/ram:ID")[:60],
        issued_on=_date(issued, "%Y%m%d"),
        siret=_digits(text(f"{seller}/ram:SpecifiedLegalOrganization/ram:ID"))[:14],
        vat_number=_vat(vat_ids[0] if vat_ids else ""),
        total_excl_vat=_amount(text(f"{sums}/ram:TaxBasisTotalAmount")),
        total_vat=_amount(text(f"{sums}/ram:TaxTotalAmount")),
        total_incl_vat=_amount(text(f"{sums}/ram:GrandTotalAmount")),
        vat_rate=_amount(text(f"{settlement}/ram:ApplicableTradeTax/ram:RateApplicablePercent")),
    )


# Text layer -------------------------------------------------------------------------------

AMOUNT = r"(-?\d{1,3}(?:[  .\u202f]?\d{3})*(?:[.,]\d{1,2})?)"
PATTERNS = {
    "number": re.compile(
        r"facture\s*(?:n\s*[°o.]|num[ée]ro|no\.?)\s*:?\s*([A-Z0-9][A-Z0-9\-/_.]{1,40})", re.I
    ),
    "issued_on": re.compile(
        r"(?:date(?:\s+de\s+(?:la\s+)?facture|\s+d'[ée]mission)?|factur[ée]e?\s+le|du)"
        r"\s*:?\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})",
        re.I,
    ),
    "siret": re.compile(r"siret\s*:?\s*((?:\d[\s.]?){13}\d)", re.I),
    "siren": re.compile(r"siren\s*:?\s*((?:\d[\s.]?){8}\d)", re.I),
    "vat_number": re.compile(
        r"(?:tva\s*intra(?:communautaire)?|n°\s*(?:de\s*)?tva|vat)\s*(?:n°)?\s*:?\s*"
        r"(FR[\s]?[0-9A-Z]{2}[\s]?\d{3}[\s]?\d{3}[\s]?\d{3})",
        re.I,
    ),
    "total_excl_vat": re.compile(rf"total\s*(?:h\.?t\.?|hors\s*taxes?)\s*:?\s*{AMOUNT}", re.I),
    "total_incl_vat": re.compile(
        rf"(?:total|net)\s*(?:t\.?t\.?c\.?|toutes\s*taxes\s*comprises|[àa]\s*payer)\s*:?\s*"
        rf"{AMOUNT}",
        re.I,
    ),
    "total_vat": re.compile(
        rf"(?:total\s*)?t\.?v\.?a\.?\s*(?:[àa]\s*)?(?:\(?\s*\d{{1,2}}(?:[.,]\d{{1,2}})?\s*%\s*\)?)?"
        rf"\s*:?\s*{AMOUNT}\s*(?:€|eur)",
        re.I,
    ),
    "vat_rate": re.compile(r"t\.?v\.?a\.?\s*(?:[àa]\s*)?\(?\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%", re.I),
}


def _from_text(data: bytes) -> InvoiceReading:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = ""
    for page in reader.pages[:MAX_PAGES]:
        text += (page.extract_text() or "") + "\n"
        if len(text) > MAX_TEXT:
            break
    text = text[:MAX_TEXT]
    if not text.strip():
        return InvoiceReading(
            problem="Aucun texte dans ce PDF (facture scannée ?) : elle n'est pas lue."
        )
    found = {key: pattern.search(text) for key, pattern in PATTERNS.items()}

    def group(key: str) -> str:
        match = found[key]
        return match.group(1) if match else ""

    siret = _digits(group("siret")) or _digits(group("siren"))
    return InvoiceReading(
        source=TEXT,
        number=group("number")[:60],
        issued_on=_date(group("issued_on").replace(".", "/").replace("-", "/"), "%d/%m/%Y"),
        siret=siret,
        vat_number=_vat(group("vat_number")),
        total_excl_vat=_amount(group("total_excl_vat")),
        total_vat=_amount(group("total_vat")),
        total_incl_vat=_amount(group("total_incl_vat")),
        vat_rate=_amount(group("vat_rate")),
    )


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _vat(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def _date(value: str, pattern: str) -> str:
    try:
        return datetime.strptime(value.strip(), pattern).date().isoformat()
    except ValueError:
        return ""


def _amount(value: str) -> str:
    """`2 725,90`, `2.725,90`, `2725.90` → `2725.90`; "" when it is no amount."""
    value = re.sub(r"[\s\u202f\u00a0]", "", value)
    if not value:
        return ""
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or re.search(r"\.\d{3}$", value):
        value = value.replace(".", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return ""
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        return ""
    return str(number.quantize(CENT))


# Checks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    ok: bool | None  # None: could not be checked
    text: str


@dataclass
class Verdict:
    reading: InvoiceReading
    checks: list[Check] = field(default_factory=list)
    agreed: str = ""  # the headline: "2 725,90 € HT = montant accordé ✓" or the gap

    @property
    def all_ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def checks(reading: InvoiceReading, *, garage_siret: str, agreed: Decimal | None) -> Verdict:
    """The reading checked against the rules and the dossier as it is now."""
    verdict = Verdict(reading=reading)
    if reading.source == NONE:
        return verdict
    add = verdict.checks.append
    add(
        Check(bool(reading.number), f"Numéro de facture : {reading.number}")
        if reading.number
        else Check(False, "Numéro de facture introuvable")
    )
    if reading.issued_on:
        day = date.fromisoformat(reading.issued_on)
        add(Check(True, f"Date de facture : {day:%d/%m/%Y}"))
    else:
        add(Check(False, "Date de facture introuvable"))
    add(_siret_check(reading.siret, garage_siret))
    add(_vat_check(reading.vat_number, reading.siret))
    excl, vat, incl = (
        _decimal(reading.total_excl_vat),
        _decimal(reading.total_vat),
        _decimal(reading.total_incl_vat),
    )
    if excl is None or vat is None or incl is None:
        add(Check(None, "Totaux HT, TVA et TTC non lus en entier : à vérifier à l'œil"))
    elif excl + vat == incl:
        add(
            Check(
                True,
                f"{format_euros(excl)} HT + {format_euros(vat)} TVA = {format_euros(incl)} TTC",
            )
        )
    else:
        add(
            Check(
                False,
                f"{format_euros(excl)} HT + {format_euros(vat)} TVA ≠ {format_euros(incl)} TTC "
                f"(écart de {format_euros(abs(excl + vat - incl))})",
            )
        )
    if excl is not None and vat is not None and excl:
        expected = (excl * STANDARD_RATE / 100).quantize(CENT)
        rate = (vat * 100 / excl).quantize(Decimal("0.1"))
        if abs(expected - vat) <= RATE_TOLERANCE:
            add(Check(True, "Taux de TVA : 20 %"))
        else:
            add(
                Check(
                    False, f"Taux de TVA de {_percent(rate)} %, 20 % attendu pour des réparations"
                )
            )
    if excl is not None:
        verdict.agreed = _agreed_line(excl, agreed)
        add(Check(excl == agreed if agreed is not None else None, verdict.agreed))
    return verdict


def _percent(rate: Decimal) -> str:
    return f"{rate:f}".rstrip("0").rstrip(".").replace(".", ",")


def _agreed_line(excl: Decimal, agreed: Decimal | None) -> str:
    if agreed is None:
        return f"{format_euros(excl)} HT : pas de montant accordé sur le dossier à comparer"
    if excl == agreed:
        return f"{format_euros(excl)} HT = montant accordé ✓"
    direction = "au-dessus" if excl > agreed else "en dessous"
    return (
        f"{format_euros(excl)} HT : écart de {format_euros(abs(excl - agreed))} {direction} du "
        f"montant accordé ({format_euros(agreed)} HT, réparation et suppléments acceptés)"
    )


def _siret_check(value: str, garage_siret: str) -> Check:
    if not value:
        return Check(False, "SIRET introuvable sur la facture")
    if len(value) == 9:
        if not stdnum_siren.is_valid(value):
            return Check(False, f"SIREN {value} invalide (clé de contrôle fausse)")
        if garage_siret and garage_siret[:9] != value:
            return Check(False, f"SIREN {value} différent de celui du garage ({garage_siret[:9]})")
        return Check(True, f"SIREN {value} valide, celui du garage")
    if not stdnum_siret.is_valid(value):
        return Check(False, f"SIRET {value} invalide (clé de contrôle fausse)")
    if not garage_siret:
        return Check(None, f"SIRET {value} valide ; le garage n'a pas de SIRET enregistré")
    if value != garage_siret:
        return Check(False, f"SIRET {value} différent de celui du garage ({garage_siret})")
    return Check(True, f"SIRET {value} valide, celui du garage")


def _vat_check(value: str, siret: str) -> Check:
    if not value:
        return Check(False, "Numéro de TVA intracommunautaire introuvable")
    if not stdnum_tva.is_valid(value):
        return Check(False, f"Numéro de TVA {value} invalide (clé de contrôle fausse)")
    if siret and value[-9:] != siret[:9]:
        return Check(False, f"Numéro de TVA {value} d'une autre entreprise que le SIRET")
    return Check(True, f"Numéro de TVA {value} valide")


def verdict_of(invoice, *, agreed: Decimal | None) -> Verdict | None:
    """The invoice's reading checked against its dossier now (None: not read yet)."""
    if invoice.reading is None:
        return None
    garage_siret = invoice.dossier.garage.siret or ""
    return checks(
        InvoiceReading.from_dict(invoice.reading), garage_siret=garage_siret, agreed=agreed
    )
