"""Invoice PDFs made in the tests: a text PDF (documents.samples) and a Factur-X PDF built with
the factur-x library (BASIC WL, checked against its XSD when built)."""

from dataclasses import dataclass, replace

from connect.documents import samples

SIRET = "73282932000074"
VAT = "FR44732829320"


@dataclass(frozen=True)
class Facts:
    number: str = "F-2026-0042"
    day: str = "12/03/2026"
    siret: str = "732 829 320 00074"
    vat: str = "FR44 732829320"
    excl: str = "2 725,90"
    vat_amount: str = "545,18"
    incl: str = "3 271,08"
    rate: str = "20"

    def but(self, **changes) -> "Facts":
        return replace(self, **changes)


def text_pdf(facts: Facts = Facts()) -> bytes:
    return samples.pdf(
        "Carrosserie du Parc",
        pages=1,
        lines=(
            f"Facture n° {facts.number}",
            f"Date de facture : {facts.day}",
            f"SIRET : {facts.siret}",
            f"TVA intracommunautaire : {facts.vat}",
            "Réparation carrosserie, peinture aile avant gauche",
            f"Total HT : {facts.excl} €",
            f"TVA {facts.rate} % : {facts.vat_amount} €",
            f"Total TTC : {facts.incl} €",
        ),
    )


CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext>
<ram:GuidelineSpecifiedDocumentContextParameter>
<ram:ID>urn:factur-x.eu:1p0:basicwl</ram:ID>
</ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument>
<ram:ID>{number}</ram:ID>
<ram:TypeCode>380</ram:TypeCode>
<ram:IssueDateTime>
<udt:DateTimeString format="102">{day}</udt:DateTimeString>
</ram:IssueDateTime>
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
<ram:ApplicableHeaderTradeAgreement>
<ram:SellerTradeParty>
<ram:Name>Carrosserie du Parc</ram:Name>
<ram:SpecifiedLegalOrganization>
<ram:ID schemeID="0009">{siret}</ram:ID>
</ram:SpecifiedLegalOrganization>
<ram:PostalTradeAddress>
<ram:CountryID>FR</ram:CountryID>
</ram:PostalTradeAddress>
<ram:SpecifiedTaxRegistration>
<ram:ID schemeID="VA">{vat}</ram:ID>
</ram:SpecifiedTaxRegistration>
</ram:SellerTradeParty>
<ram:BuyerTradeParty>
<ram:Name>BCA Expertise</ram:Name>
</ram:BuyerTradeParty>
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement>
<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
<ram:ApplicableTradeTax>
<ram:CalculatedAmount>{vat_amount}</ram:CalculatedAmount>
<ram:TypeCode>VAT</ram:TypeCode>
<ram:BasisAmount>{excl}</ram:BasisAmount>
<ram:CategoryCode>S</ram:CategoryCode>
<ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>
</ram:ApplicableTradeTax>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>
<ram:LineTotalAmount>{excl}</ram:LineTotalAmount>
<ram:TaxBasisTotalAmount>{excl}</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">{vat_amount}</ram:TaxTotalAmount>
<ram:GrandTotalAmount>{incl}</ram:GrandTotalAmount>
<ram:DuePayableAmount>{incl}</ram:DuePayableAmount>
</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement>
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


def facturx_pdf(
    *,
    number: str = "FX-2026-0007",
    day: str = "20260314",
    siret: str = SIRET,
    vat: str = VAT,
    excl: str = "2725.90",
    vat_amount: str = "545.18",
    incl: str = "3271.08",
    rate: str = "20.00",
    visible: bytes | None = None,
) -> bytes:
    """A Factur-X invoice: the XML embedded in a PDF/A-3 by the factur-x library. `visible`:
    the PDF it is embedded in (by default one whose text says other totals, so that a test
    sees which one was read)."""
    from facturx import generate_from_binary

    xml = CII.format(
        number=number,
        day=day,
        siret=siret,
        vat=vat,
        excl=excl,
        vat_amount=vat_amount,
        incl=incl,
        rate=rate,
    )
    base = visible or text_pdf(Facts(number="TEXTE-1", excl="1,00", vat_amount="0,20", incl="1,20"))
    return generate_from_binary(
        base, xml.encode(), flavor="factur-x", level="basicwl", check_xsd=True
    )
