"""Error messages speak the page's language: a producer who types something wrong on a Lao page reads
what is wrong in Lao (Thai on a Thai page, English on an English one), next to the field at fault.
The JSON API keeps its English `detail` and `msg`."""

from __future__ import annotations

import html
import json
import re

import pytest
from pydantic import BaseModel, Field, ValidationError

from app.catalogue.models import ProducerKind
from app.catalogue.schemas import ProductCreate
from app.errors import N_, Conflict, Message
from app.web.forms import error_message, form_to_schema
from app.web.i18n import Translator
from tests.factories import PASSWORD

LAO = re.compile(r"[\u0e80-\u0eff]")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, email: str) -> None:
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def field_errors(page: str) -> dict[str, str]:
    """What the user reads beside each field: {field: text}."""
    return {
        name: html.unescape(text)
        for name, text in re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', page, re.S)
    }


@pytest.fixture
def producer_client(client, make_user, make_producer):
    owner = make_user("producer", email="khamla@example.la")
    producer = make_producer(owner)
    login(client, "khamla@example.la")
    token = csrf(client.get("/my/products/new").text)
    return client, token, producer


BAD_PRODUCT = {
    "category": "",  # required, left empty
    "name_lo": "ຜ້າ" * 80,  # 240 characters: too long
    "price_lak": "-5000",  # negative
    "moq": "ສິບ",  # letters in a number
    "unit": "x" * 41,
}

EXPECTED = {
    "lo": {
        "category": "ກະລຸນາໃສ່ຂໍ້ມູນໃນຊ່ອງນີ້.",
        "name": "ພາສາລາວ: ບໍ່ເກີນ 200 ຕົວອັກສອນ",
        "price_lak": "ໃສ່ຕົວເລກທີ່ບໍ່ຕິດລົບ (ຕັ້ງແຕ່ 0 ຂຶ້ນໄປ).",
        "moq": "ໃສ່ຈຳນວນເຕັມ ເປັນຕົວເລກເທົ່ານັ້ນ (ເຊັ່ນ 25000).",
        "unit": "ໃສ່ໄດ້ບໍ່ເກີນ 40 ຕົວອັກສອນ.",
    },
    "th": {
        "category": "กรุณากรอกข้อมูลในช่องนี้",
        "name": "ภาษาลาว: ไม่เกิน 200 ตัวอักษร",
        "price_lak": "กรอกตัวเลขที่ไม่ติดลบ (ตั้งแต่ 0 ขึ้นไป)",
        "moq": "กรอกจำนวนเต็ม เป็นตัวเลขเท่านั้น (เช่น 25000)",
        "unit": "กรอกได้ไม่เกิน 40 ตัวอักษร",
    },
    "en": {
        "category": "This field is required.",
        "name": "lo: at most 200 characters",
        "price_lak": "Enter a number that is not negative.",
        "moq": "Enter a whole number, in digits only (such as 25000).",
        "unit": "Enter at most 40 characters.",
    },
}


@pytest.mark.parametrize("lang", ["lo", "th", "en"])
def test_product_form_errors_are_shown_in_the_page_language(producer_client, lang):
    client, token, _producer = producer_client
    client.get(f"/my?lang={lang}")  # the language is remembered, as when a producer switches it once
    r = client.post("/my/products/new", data={"csrf_token": token, **BAD_PRODUCT})
    assert r.status_code == 422
    shown = field_errors(r.text)
    assert shown == EXPECTED[lang]
    for text in shown.values():
        assert "Input should" not in text and "Value error" not in text and "Field required" not in text
    if lang == "lo":
        assert all(LAO.search(t) and not THAI.search(t) for t in shown.values())
    assert 'value="ສິບ"' in r.text and 'value="-5000"' in r.text  # what the producer typed is kept


def test_live_validation_fragment_is_translated_too(producer_client):
    client, token, _producer = producer_client
    r = client.post(
        "/my/products/new/validate?lang=lo",
        data={"csrf_token": token, "category": "silk", "name_lo": "ຜ້າໄໝ", "price_lak": "abc"},
        headers={"HX-Request": "true", "HX-Target": "product-form"},
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert field_errors(r.text) == {"price_lak": "ໃສ່ຈຳນວນເຕັມ ເປັນຕົວເລກເທົ່ານັ້ນ (ເຊັ່ນ 25000)."}


def test_a_schema_rule_of_our_own_and_a_service_refusal_show_in_lao(producer_client):
    client, token, _producer = producer_client
    r = client.post("/my/products/new?lang=lo", data={"csrf_token": token, "category": "silk", "name_lo": "  "})
    assert field_errors(r.text) == {"name": "ໃສ່ຂໍ້ຄວາມຢ່າງໜ້ອຍໜຶ່ງພາສາ (ພາສາລາວດີທີ່ສຸດ)"}
    # the service refuses a category that does not exist: a DomainError with the value in its message
    r = client.post("/my/products/new?lang=lo", data={"csrf_token": token, "category": "nope", "name_lo": "ຜ້າໄໝ"})
    assert r.status_code == 422
    assert field_errors(r.text) == {"category": "ບໍ່ຮູ້ຈັກໝວດ 'nope'; ເບິ່ງ /api/v1/categories."}


def test_an_action_the_service_refuses_is_explained_in_lao(producer_client, make_product, session):
    client, token, producer = producer_client
    product = make_product(producer, status="published", name={"lo": "ຜ້າໄໝ"})
    r = client.post(f"/my/products/{product.id}/submit?lang=lo", data={"csrf_token": token})
    assert r.status_code == 409
    text = html.unescape(r.text)
    assert "ຜະລິດຕະພັນນີ້ເຜີຍແຜ່ແລ້ວ; ການແກ້ໄຂຈະຖືກສົ່ງໄປກວດເອງ." in text
    assert "already published" not in text
    # the same refusal as an HTMX request: a toast in Lao
    r = client.post(
        f"/my/products/{product.id}/submit?lang=lo", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    toast = json.loads(r.headers["HX-Trigger"])["toast"]["message"]
    assert "ຜະລິດຕະພັນນີ້ເຜີຍແຜ່ແລ້ວ" in toast
    # and a message with a value in it (another producer's product is "not found" for this one)
    r = client.get("/my/products/999999?lang=th")
    assert r.status_code == 404 and "ไม่มีสินค้า 999999" in html.unescape(r.text)


def test_the_json_api_keeps_english(client, make_user, make_producer, auth_headers):
    owner = make_user("producer")
    producer = make_producer(owner)
    headers = {**auth_headers(owner), "Accept-Language": "lo"}
    body = {"producer_id": producer.id, "category": "silk", "name": {"lo": "ຜ້າ" * 80}, "price_lak": -1}
    r = client.post("/api/v1/products?lang=lo", json=body, headers=headers)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert "lo: at most 200 characters" in problem["detail"]
    assert "greater than or equal to 0" in problem["detail"]
    assert not LAO.search(json.dumps(problem, ensure_ascii=False))
    fixed = {**body, "name": {"lo": "ຜ້າ"}, "price_lak": 5, "category": "x"}
    r = client.post("/api/v1/products?lang=lo", json=fixed, headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == "Unknown category 'x'; see /api/v1/categories."
    assert r.json()["errors"][0]["msg"] == "Unknown category 'x'; see /api/v1/categories."


def test_every_pydantic_error_our_forms_can_produce_has_a_sentence_of_our_own():
    class Everything(BaseModel):
        required: int
        short: str = Field(default="", min_length=3)
        long: str = Field(default="", max_length=5)
        low: int = Field(default=5, ge=1)
        high: int = Field(default=5, le=10)
        positive: float = Field(default=1, gt=0)
        pattern: str = Field(default="ab", pattern="^[ab]+$")
        flag: bool = False
        choice: ProducerKind = ProducerKind.group
        items: list[int] = Field(default_factory=list, max_length=2)

    data = {
        "short": "a",
        "long": "abcdefg",
        "low": "0",
        "high": "11",
        "positive": "nan-ish",
        "pattern": "c",
        "flag": "perhaps",
        "choice": "x",
        "items": [1, 2, 3],
    }
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate(data)
    messages = {str(e["loc"][0]): error_message(e) for e in caught.value.errors()}
    assert set(messages) == {"required", *data}
    lo = Translator("lo")
    for field, message in messages.items():
        assert isinstance(message, str) and message
        assert not message.startswith(("Input should", "String should", "Value error", "Field required")), field
        assert LAO.search(lo(message)), (field, message, lo(message))
    assert lo(messages["high"]) == "ໃສ່ຕົວເລກບໍ່ເກີນ 10."
    assert lo(messages["items"]) == "ໃສ່ໄດ້ບໍ່ເກີນ 2 ລາຍການ."


def test_messages_keep_english_and_translate_with_their_values():
    message = N_("There is no product {product_id}.", product_id=42)
    assert message == "There is no product 42." and isinstance(message, Message)
    assert json.dumps({"detail": message}) == '{"detail": "There is no product 42."}'
    assert Translator("lo")(message) == "ບໍ່ມີຜະລິດຕະພັນ 42."
    assert Translator("th")(message) == "ไม่มีสินค้า 42"
    assert Translator("en")(message) == "There is no product 42."
    assert N_("Log in first.") == "Log in first." and not isinstance(N_("Log in first."), Message)
    # a DomainError keeps its English detail (the API's), the page translates it
    exc = Conflict(N_("A product can have at most {n} photos; delete one before adding another.", n=12))
    assert str(exc) == exc.detail == "A product can have at most 12 photos; delete one before adding another."
    assert "12" in Translator("lo")(exc.detail) and LAO.search(Translator("lo")(exc.detail))
    # field names inside a message are translated as well
    assert Translator("lo")(N_("{key} cannot be empty.", key=Message("name"))).startswith(Translator("lo")("name"))


def test_form_to_schema_returns_translatable_messages():
    _parsed, errors = form_to_schema(ProductCreate, {"producer_id": "1", "name": {"lo": "ຜ້າ"}, "lead_time_days": "400"})
    assert errors == {"category": "This field is required.", "lead_time_days": "Enter a number of at most 365."}
    assert Translator("lo")(errors["lead_time_days"]) == "ໃສ່ຕົວເລກບໍ່ເກີນ 365."
