"""Demo buyers: who buys Lao ODOP products (shops, wholesalers, importers, hotels in Laos and abroad),
and how they write to producers. Data only; `matching.py` seeds it.

The organisations are invented, named as such businesses name themselves (in their own language, with
the English name people use); the people too. Categories and provinces are reference-data codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.matching.models import BuyerType

R, W, X, H, D = (BuyerType.retailer, BuyerType.wholesaler, BuyerType.exporter, BuyerType.hotel_restaurant,
                 BuyerType.distributor)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BuyerSpec:
    organisation: str
    country: str  # ISO 3166-1 alpha-2
    buyer_type: BuyerType
    categories: tuple[str, ...]  # category slugs (a family such as "textiles" takes in its sub-categories)
    languages: tuple[str, ...]
    contact: str
    keywords: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()  # preferred provinces; more may be drawn
    certifications: tuple[str, ...] = ()


# The first one is the demo buyer account's own profile (buyer@odop.la, "Mekong Fine Goods").
BUYERS: tuple[BuyerSpec, ...] = (
    BuyerSpec("Mekong Fine Goods", "LA", X, ("silk", "coffee", "handicrafts"), ("lo", "en", "th"),
              "Vilayvanh Sisouphanh", ("scarf", "arabica", "basket"), ("LA-LP", "LA-CH")),
    # Laos
    BuyerSpec("ຮ້ານ ລາວຫັດຖະກຳ ວຽງຈັນ (Lao Handicraft House)", "LA", R, ("textiles", "handicrafts"), ("lo", "en"),
              "ສຸກສະຫວັນ ພົມມະຈັນ", ("ຜ້າພັນຄໍ", "ກະຕິບ"), ("LA-VT",)),
    BuyerSpec("ບໍລິສັດ ສີສະຫວາດ ການຄ້າ ຈຳກັດ (Sisavath Trading Co., Ltd.)", "LA", W,
              ("rice-snacks", "sauces-spices", "dried-foods"), ("lo", "th"), "ບຸນມີ ສີສະຫວາດ", (), ("LA-SV", "LA-KH")),
    BuyerSpec("Nam Khan Riverside Hotel", "LA", H, ("coffee", "tea", "soaps-cosmetics", "textiles"), ("lo", "en"),
              "Phonesavanh Keomany", ("soap", "arabica"), ("LA-LP",)),
    BuyerSpec("ສະຫະກອນ ຕະຫຼາດກາງຄືນ ຫຼວງພະບາງ (Luang Prabang Night Market Traders)", "LA", R,
              ("textiles", "mulberry-paper", "silverware"), ("lo",), "ນາງ ຄຳແພງ ວົງສາ", (), ("LA-LP", "LA-HO")),
    BuyerSpec("Champa Meuang Lao Distribution", "LA", D, ("beverages", "food"), ("lo", "en", "th"),
              "Anousone Chanthavong", ("coffee", "honey"), ("LA-CH", "LA-SL")),
    BuyerSpec("ຮ້ານກາເຟ ພູຂຽວ (Phou Khieo Coffee Roasters)", "LA", R, ("coffee",), ("lo", "en"),
              "ທອງສະໄໝ ແກ້ວມະນີ", ("arabica", "green coffee"), ("LA-CH", "LA-XE", "LA-SL")),
    BuyerSpec("Lane Xang Souvenir House", "LA", R, ("handicrafts", "garments", "aromatics"), ("lo", "en", "th"),
              "Khamla Inthavong", ("bag", "incense"), ()),
    BuyerSpec("Pakse Organic Market", "LA", R, ("food", "tea", "honey"), ("lo", "en"), "Daovone Sengsavang",
              ("organic",), ("LA-CH", "LA-AT"), ("organic",)),
    BuyerSpec("ໂຮງແຮມ ວຽງທອງ ບູຕິກ (Vieng Thong Boutique Hotel)", "LA", H, ("textiles", "bamboo-rattan", "tea"),
              ("lo", "en"), "ສົມສະໄໝ ສຸລິຍະ", ("cushion", "lampshade"), ("LA-VT", "LA-VI")),
    BuyerSpec("ບໍລິສັດ ດອກຈຳປາ ສົ່ງອອກ-ນຳເຂົ້າ ຈຳກັດ (Dok Champa Export-Import Co., Ltd.)", "LA", X,
              ("coffee", "rice-snacks", "herbal"), ("lo", "en", "zh"), "ວິໄລພອນ ແສງສຸລິນ", ("rice", "agarwood"), (),
              ("lao-fdd",)),
    # Thailand
    BuyerSpec("บริษัท ไทย-ลาว เทรดดิ้ง จำกัด (Thai-Lao Trading Co., Ltd.)", "TH", W,
              ("food", "beverages"), ("th", "lo"), "สมชาย ศรีสุข", ("ข้าว", "กาแฟ"), ("LA-VT", "LA-SV")),
    BuyerSpec("ร้านผ้าไหมแม่ทองสุข (Mae Thongsuk Silk)", "TH", R, ("silk", "cotton"), ("th", "lo"),
              "ทองสุข บุญมา", ("ผ้าไหม", "ผ้าซิ่น"), ("LA-HO", "LA-LP")),
    BuyerSpec("Chiang Mai Artisan Collective", "TH", R, ("handicrafts", "cotton"), ("th", "en"),
              "Pimchanok Kaewmanee", ("indigo", "basket", "paper"), ("LA-LM", "LA-BK")),
    BuyerSpec("โรงแรมริมโขง หนองคาย (Rim Khong Hotel Nong Khai)", "TH", H, ("coffee", "tea", "rice-snacks"),
              ("th", "lo", "en"), "ประเสริฐ วงศ์ใหญ่", (), ("LA-VT",)),
    BuyerSpec("Siam Organic Foods Co., Ltd.", "TH", D, ("honey", "dried-foods", "tea"), ("th", "en"),
              "Nattapong Rattanakul", ("organic", "honey"), (), ("organic", "lao-fdd")),
    BuyerSpec("Bangkok Craft Gallery", "TH", R, ("silverware", "woodcraft", "pottery", "silk"), ("th", "en"),
              "Supaporn Chaiyasit", ("silver", "bowl"), ()),
    BuyerSpec("อีสานคอฟฟี่เทรดเดอร์ส (Isan Coffee Traders)", "TH", W, ("coffee",), ("th", "lo"),
              "วีระพงษ์ ภูมิใจ", ("robusta", "arabica"), ("LA-CH",)),
    # China
    BuyerSpec("云南澜湄贸易有限公司 (Yunnan Lancang-Mekong Trading Co., Ltd.)", "CN", W,
              ("tea", "rice-snacks", "herbal-medicine"), ("zh", "en"), "李建国", ("tea",), ("LA-PH", "LA-OU")),
    BuyerSpec("昆明普洱茶行 (Kunming Pu'er Tea House)", "CN", D, ("tea",), ("zh",), "王丽华",
              ("ancient tea", "tea cake"), ("LA-PH",)),
    BuyerSpec("西双版纳丝绸之家 (Xishuangbanna Silk Home)", "CN", R, ("silk", "garments"), ("zh", "lo"), "刀美兰",
              ("silk",), ("LA-LM", "LA-BK")),
    BuyerSpec("广州东南亚食品进口有限公司 (Guangzhou SEA Food Import Co., Ltd.)", "CN", D,
              ("dried-foods", "sauces-spices", "coffee"), ("zh", "en"), "陈志强", (), (), ("lao-fdd", "haccp")),
    BuyerSpec("成都山花蜂业 (Chengdu Mountain Flower Bee Products)", "CN", W, ("honey", "aromatics"), ("zh",),
              "张敏", ("honey", "beeswax"), ("LA-XI", "LA-AT")),
    # Vietnam
    BuyerSpec("Công ty TNHH Thương mại Mê Kông Xanh (Green Mekong Trading)", "VN", W, ("coffee", "food"),
              ("vi", "en"), "Nguyễn Văn Hùng", ("coffee",), ("LA-CH", "LA-SL")),
    BuyerSpec("Cửa hàng Thủ công Hội An (Hoi An Craft Store)", "VN", R, ("textiles", "bamboo-rattan"), ("vi", "en"),
              "Trần Thị Mai", ("scarf", "basket"), ()),
    BuyerSpec("Khách sạn Sông Hàn Đà Nẵng (Song Han Hotel Da Nang)", "VN", H, ("tea", "soaps-cosmetics"),
              ("vi", "en"), "Lê Minh Tuấn", ("soap", "tea"), ()),
    # Japan
    BuyerSpec("株式会社アジアン・クラフト (Asian Craft Co., Ltd.)", "JP", R, ("handicrafts", "textiles"),
              ("ja", "en"), "佐藤 美咲", ("indigo", "paper"), (), ()),
    BuyerSpec("メコン・フェアトレード (Mekong Fair Trade Japan)", "JP", D, ("coffee", "textiles", "honey"),
              ("ja", "en"), "鈴木 健太", ("fair trade",), (), ("fair-trade",)),
    BuyerSpec("京都テキスタイル商会 (Kyoto Textile Trading)", "JP", W, ("silk", "cotton"), ("ja", "en"),
              "田中 裕子", ("silk", "natural dye"), ("LA-HO", "LA-LP")),
    BuyerSpec("東京スペシャルティコーヒー (Tokyo Specialty Coffee)", "JP", D, ("coffee",), ("ja", "en"),
              "高橋 翔", ("arabica", "green coffee"), ("LA-CH", "LA-XE"), ("organic",)),
    # Elsewhere
    BuyerSpec("Lion City Lifestyle Pte. Ltd.", "SG", R, ("soaps-cosmetics", "aromatics", "silk"), ("en", "zh"),
              "Tan Wei Ling", ("soap", "agarwood", "scarf"), ()),
    BuyerSpec("Maison du Mékong", "FR", R, ("textiles", "mulberry-paper", "tea"), ("fr", "en"), "Claire Dubois",
              ("silk", "paper"), ("LA-LP",)),
    BuyerSpec("Fairhandel Südostasien GmbH", "DE", D, ("coffee", "honey", "textiles"), ("de", "en"),
              "Jonas Becker", ("organic", "coffee"), (), ("organic", "fair-trade")),
    BuyerSpec("Southern Cross Ethical Imports", "AU", D, ("handicrafts", "coffee"), ("en",), "Emma Walsh",
              ("basket", "coffee"), ()),
    BuyerSpec("Indigo Thread Collective", "US", R, ("cotton", "garments", "silk"), ("en",), "Rachel Kim",
              ("indigo", "scarf"), ("LA-LM", "LA-XA")),
    BuyerSpec("서울 아시아 공예 (Seoul Asia Crafts)", "KR", R, ("handicrafts", "tea"), ("ko", "en"), "김지현",
              ("bamboo", "tea"), ()),
    BuyerSpec("KL Halal Foods Sdn. Bhd.", "MY", D, ("food", "beverages"), ("ms", "en"), "Ahmad Faizal",
              ("coffee", "rice"), (), ("halal",)),
    BuyerSpec("Phnom Penh Hospitality Supplies", "KH", H, ("textiles", "soaps-cosmetics", "coffee"), ("km", "en"),
              "Sokha Chea", ("towel", "soap"), ()),
    BuyerSpec("Lotus Handelshuis B.V.", "NL", W, ("rice-snacks", "sauces-spices", "tea"), ("nl", "en"),
              "Sanne de Vries", ("rice", "chilli"), ()),
    BuyerSpec("Mulberry & Loom Ltd.", "GB", R, ("silk", "mulberry-paper"), ("en",), "Oliver Hughes",
              ("silk", "paper"), ("LA-LP", "LA-HO")),
)  # fmt: skip

# Telephone numbers as written in each country: (prefix, digit groups).
PHONE_FORMATS: dict[str, tuple[str, tuple[int, ...]]] = {
    "LA": ("+856 20 ", (4, 4)), "TH": ("+66 8", (1, 3, 4)), "CN": ("+86 13", (1, 4, 4)),
    "VN": ("+84 9", (1, 3, 4)), "JP": ("+81 90 ", (4, 4)), "SG": ("+65 9", (3, 4)), "FR": ("+33 6 ", (2, 2, 2, 2)),
    "DE": ("+49 151 ", (4, 4)), "AU": ("+61 4", (2, 3, 3)), "US": ("+1 415 ", (3, 4)), "KR": ("+82 10 ", (4, 4)),
    "MY": ("+60 12 ", (3, 4)), "KH": ("+855 12 ", (3, 3)), "NL": ("+31 6 ", (4, 4)), "GB": ("+44 7", (3, 3, 3)),
}  # fmt: skip
NO_WHATSAPP = frozenset({"CN"})  # they write on WeChat


# ---- inquiries --------------------------------------------------------------------------------------

# The language a buyer writes to a producer in, by country (others write English). Chinese buyers
# write Chinese; producers get it translated, as they do.
WRITES_IN: dict[str, str] = {"LA": "lo", "TH": "th", "CN": "zh"}

# {product} is the product's name in the message's language (the English one for Chinese), {qty} a quantity.
INQUIRY_MESSAGES: dict[str, tuple[str, ...]] = {
    "lo": (
        "ສະບາຍດີ, ພວກເຮົາສົນໃຈ «{product}». ລາຄາຂາຍສົ່ງສຳລັບ {qty:,} ໜ່ວຍ ແມ່ນເທົ່າໃດ?",
        "ສະບາຍດີເອື້ອຍ, ຢາກຮູ້ວ່າ «{product}» ມີສິນຄ້າພ້ອມສົ່ງບໍ່ ແລະ ສົ່ງມາວຽງຈັນໄດ້ບໍ?",
        "ຂໍຕົວຢ່າງ «{product}» 2-3 ອັນກ່ອນສັ່ງໄດ້ບໍ່? ພວກເຮົາຈະຈ່າຍຄ່າຕົວຢ່າງ ແລະ ຄ່າສົ່ງ.",
        "ຮ້ານຂອງພວກເຮົາຢາກສັ່ງ «{product}» ເປັນປະຈຳທຸກເດືອນ, ປະມານ {qty:,} ໜ່ວຍ. ກະລຸນາໂທກັບ ຫຼື WhatsApp.",
        "«{product}» ມີສີອື່ນ ຫຼື ຂະໜາດອື່ນບໍ່? ລູກຄ້າຂອງພວກເຮົາຖາມຫາຫຼາຍ.",
        "ສະບາຍດີ, ໂຮງແຮມຂອງພວກເຮົາກຳລັງຊອກຫາ «{product}» ສຳລັບຫ້ອງພັກ. ຂໍໃບສະເໜີລາຄາແດ່.",
    ),
    "th": (
        "สวัสดีครับ สนใจ «{product}» ครับ ถ้าสั่ง {qty:,} ชิ้น ราคาส่งเท่าไหร่ครับ",
        "สวัสดีค่ะ อยากทราบว่า «{product}» ส่งข้ามไปหนองคายได้ไหมคะ และใช้เวลาผลิตกี่วัน",
        "ขอตัวอย่าง «{product}» ก่อนสั่งล็อตใหญ่ได้ไหมครับ ยินดีจ่ายค่าส่ง",
        "ร้านเราขายสินค้าจากลาวอยู่แล้ว สนใจ «{product}» ประมาณ {qty:,} ชิ้นต่อเดือน รบกวนติดต่อกลับทางไลน์หรือ WhatsApp ค่ะ",
        "«{product}» มีใบรับรอง อย. หรือเอกสารส่งออกไหมครับ ต้องใช้สำหรับนำเข้าไทย",
        "สวัสดีค่ะ ขอใบเสนอราคา «{product}» พร้อมค่าขนส่งถึงอุดรธานีค่ะ",
    ),
    "en": (
        "Hello, we are interested in your “{product}”. Could you quote FOB Vientiane for {qty:,} units?",
        "Hi, could you send two or three samples of “{product}”? We will pay for the samples and the courier.",
        "We sell Lao handmade products in our shop and would like to order “{product}” regularly. "
        "What is your lead time for {qty:,} units?",
        "Good morning. Does “{product}” come in other colours or sizes? Our customers ask for more choice.",
        "We are looking for a supplier for our hotel: please send your price list and photos of “{product}”.",
        "Can you provide a certificate of origin and export documents for “{product}”? "
        "We would start with a trial order of {qty:,}.",
        "Hello from the trade fair last month! We would like to follow up about “{product}”.",
    ),
    "zh": (
        "您好，我们对贵公司的“{product}”很感兴趣。请问 {qty:,} 件的批发价格是多少？",
        "您好，请问“{product}”可以出口到中国吗？能否提供原产地证明？",
        "我们想先订购少量“{product}”样品，确认质量后再下大单。请问怎么付款？",
        "请问“{product}”每月最多能供应多少？我们需要长期稳定的货源，每月大约 {qty:,} 件。",
        "您好，我们在昆明有门店，想代理“{product}”。请发报价单和产品照片，谢谢！",
    ),
}

# What was noted after a meeting held at a matching event, by where it led.
MEETING_NOTES: dict[str | None, tuple[str, ...]] = {
    "agreement_reached": (
        "Trial order agreed; samples approved at the table. / ຕົກລົງສັ່ງທົດລອງ.",
        "Agreed a first order; delivery in six weeks, 30 % in advance.",
        "ຕົກລົງສັນຍາສະໜອງ 6 ເດືອນ. / Six-month supply contract agreed.",
    ),
    "negotiation_started": (
        "Buyer asked for a price list in USD and export packaging. / ຜູ້ຊື້ຂໍລາຄາເປັນໂດລາ.",
        "Samples to be sent; buyer will confirm after testing.",
        "ຜູ້ຊື້ສົນໃຈ, ລໍຖ້າໃບສະເໜີລາຄາ. / Interested, waiting for a quotation.",
    ),
    "no_deal": (
        "Price too high for the buyer's market.",
        "Capacity too small for the volumes the buyer needs. / ກຳລັງການຜະລິດບໍ່ພໍ.",
        "Buyer needs a certification the producer does not have yet.",
    ),
    None: (
        "Good first contact; cards exchanged.",
        "ແລກປ່ຽນເບີໂທ ແລະ ຕົວຢ່າງສິນຄ້າ. / Exchanged contacts and samples.",
    ),
}
