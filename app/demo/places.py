"""Where demo producers are: real districts of the 18 provinces, and village names.

District names are the official ones in Lao with their usual romanisation and a Thai rendering. The
generic village names are common Lao place names (many villages share them, as in real life); the
craft villages that are known for one product are used by the hand-placed producers (`producers.py`).
"""

from __future__ import annotations

from app.demo.text import T

# Province code -> its districts; the first one is the provincial capital's district (more producers there).
DISTRICTS: dict[str, tuple[T, ...]] = {
    "LA-VT": (
        T("ຈັນທະບູລີ", "Chanthabouly", "จันทบุรี"),
        T("ສີໂຄດຕະບອງ", "Sikhottabong", "ศรีโคตรบอง"),
        T("ໄຊເສດຖາ", "Xaysetha", "ไชยเชษฐา"),
        T("ສີສັດຕະນາກ", "Sisattanak", "ศรีสัตนาค"),
        T("ນາຊາຍທອງ", "Naxaythong", "นาทรายทอง"),
        T("ໄຊທານີ", "Xaythany", "ไชยธานี"),
        T("ຫາດຊາຍຟອງ", "Hadxayfong", "หาดทรายฟอง"),
        T("ສັງທອງ", "Sangthong", "สังทอง"),
        T("ປາກງື່ມ", "Pakngum", "ปากงึม"),
    ),
    "LA-PH": (
        T("ຜົ້ງສາລີ", "Phongsaly", "ผ้งสาลี"),
        T("ໃໝ່", "May", "ใหม่"),
        T("ຂວາ", "Khoua", "ขวา"),
        T("ສຳພັນ", "Samphanh", "สำพัน"),
        T("ບຸນເໜືອ", "Boun Neua", "บุนเหนือ"),
        T("ຍອດອູ", "Nhot Ou", "ยอดอู"),
        T("ບຸນໃຕ້", "Boun Tay", "บุนใต้"),
    ),
    "LA-LM": (
        T("ນ້ຳທາ", "Namtha", "น้ำทา"),
        T("ສິງ", "Sing", "สิง"),
        T("ລອງ", "Long", "ลอง"),
        T("ວຽງພູຄາ", "Viengphoukha", "เวียงภูคา"),
        T("ນາແລ", "Nalae", "นาแล"),
    ),
    "LA-OU": (
        T("ໄຊ", "Xay", "ไซ"),
        T("ຫຼາ", "La", "หล้า"),
        T("ນາໝໍ້", "Namo", "นาหม้อ"),
        T("ງາ", "Nga", "งา"),
        T("ແບງ", "Beng", "แบง"),
        T("ຮຸນ", "Houn", "ฮุน"),
        T("ປາກແບ່ງ", "Pakbeng", "ปากแบ่ง"),
    ),
    "LA-BK": (
        T("ຫ້ວຍຊາຍ", "Houayxay", "ห้วยทราย"),
        T("ຕົ້ນເຜິ້ງ", "Tonpheung", "ต้นผึ้ง"),
        T("ເມິງ", "Meung", "เมิง"),
        T("ຜາອຸດົມ", "Pha Oudom", "ผาอุดม"),
        T("ປາກທາ", "Paktha", "ปากทา"),
    ),
    "LA-LP": (
        T("ຫຼວງພະບາງ", "Luang Prabang", "หลวงพระบาง"),
        T("ຊຽງເງິນ", "Xieng Ngeun", "เชียงเงิน"),
        T("ນານ", "Nan", "นาน"),
        T("ປາກອູ", "Pak Ou", "ปากอู"),
        T("ນ້ຳບາກ", "Nambak", "น้ำบาก"),
        T("ງອຍ", "Ngoy", "งอย"),
        T("ປາກແຊງ", "Pak Xeng", "ปากแซง"),
        T("ໂພນໄຊ", "Phonxay", "โพนไซ"),
        T("ຈອມເພັດ", "Chomphet", "จอมเพ็ด"),
        T("ວຽງຄຳ", "Viengkham", "เวียงคำ"),
        T("ພູຄູນ", "Phoukhoune", "ภูคูณ"),
        T("ໂພນທອງ", "Phonthong", "โพนทอง"),
    ),
    "LA-HO": (
        T("ຊຳເໜືອ", "Xam Neua", "ซำเหนือ"),
        T("ຊຽງຄໍ້", "Xiengkho", "เชียงค้อ"),
        T("ວຽງໄຊ", "Viengxay", "เวียงไซ"),
        T("ວຽງທອງ", "Viengthong", "เวียงทอง"),
        T("ຊຳໃຕ້", "Xam Tai", "ซำใต้"),
        T("ສົບເບົາ", "Sopbao", "สบเบา"),
        T("ແອດ", "Et", "แอด"),
        T("ຫົວເມືອງ", "Houamuang", "หัวเมือง"),
    ),
    "LA-XA": (
        T("ໄຊຍະບູລີ", "Xayabouly", "ไซยะบุรี"),
        T("ຄອບ", "Khop", "คอบ"),
        T("ຫົງສາ", "Hongsa", "หงสา"),
        T("ເງິນ", "Ngeun", "เงิน"),
        T("ຊຽງຮ່ອນ", "Xienghone", "เชียงฮ่อน"),
        T("ພຽງ", "Phiang", "เพียง"),
        T("ປາກລາຍ", "Paklay", "ปากลาย"),
        T("ແກ່ນທ້າວ", "Kenethao", "แก่นท้าว"),
        T("ບໍ່ແຕນ", "Botene", "บ่อแตน"),
        T("ທົ່ງມີໄຊ", "Thongmixay", "ทุ่งมีไซ"),
    ),
    "LA-XI": (
        T("ແປກ", "Paek", "แปก"),
        T("ຄຳ", "Kham", "คำ"),
        T("ໜອງແຮດ", "Nonghet", "หนองแฮด"),
        T("ຄູນ", "Khoune", "คูณ"),
        T("ໝອກໃໝ່", "Mok May", "หมอกใหม่"),
        T("ພູກູດ", "Phoukout", "ภูกูด"),
        T("ຜາໄຊ", "Phaxay", "ผาไซ"),
    ),
    "LA-VI": (
        T("ໂພນໂຮງ", "Phonhong", "โพนโฮง"),
        T("ທຸລະຄົມ", "Thoulakhom", "ทุละคม"),
        T("ແກ້ວອຸດົມ", "Keo Oudom", "แก้วอุดม"),
        T("ກາສີ", "Kasy", "กาสี"),
        T("ວັງວຽງ", "Vangvieng", "วังเวียง"),
        T("ເຟືອງ", "Feuang", "เฟือง"),
        T("ຊະນະຄາມ", "Xanakharm", "ซะนะคาม"),
        T("ແມດ", "Mad", "แมด"),
        T("ຫີນເຫີບ", "Hinheup", "หินเหิบ"),
        T("ວຽງຄຳ", "Viengkham", "เวียงคำ"),
    ),
    "LA-BL": (
        T("ປາກຊັນ", "Paksan", "ปากซัน"),
        T("ທ່າພະບາດ", "Thaphabath", "ท่าพระบาท"),
        T("ປາກກະດິງ", "Pakkading", "ปากกะดิง"),
        T("ບໍລິຄັນ", "Bolikhan", "บอลิคัน"),
        T("ຄຳເກີດ", "Khamkeut", "คำเกิด"),
        T("ວຽງທອງ", "Viengthong", "เวียงทอง"),
        T("ໄຊຈຳພອນ", "Xaychamphon", "ไซจำพอน"),
    ),
    "LA-KH": (
        T("ທ່າແຂກ", "Thakhek", "ท่าแขก"),
        T("ມະຫາໄຊ", "Mahaxay", "มหาไซ"),
        T("ໜອງບົກ", "Nongbok", "หนองบก"),
        T("ຫີນບູນ", "Hinboun", "หินบูน"),
        T("ຍົມມະລາດ", "Nhommalath", "ยมมะลาด"),
        T("ບົວລະພາ", "Boualapha", "บัวละพา"),
        T("ນາກາຍ", "Nakai", "นากาย"),
        T("ເຊບັ້ງໄຟ", "Xebangfay", "เซบั้งไฟ"),
        T("ໄຊບົວທອງ", "Xaybouathong", "ไซบัวทอง"),
    ),
    "LA-SV": (
        T("ໄກສອນ ພົມວິຫານ", "Kaysone Phomvihane", "ไกสอน พมวิหาน"),
        T("ອຸທຸມພອນ", "Outhoumphone", "อุทุมพร"),
        T("ອາດສະພັງທອງ", "Atsaphangthong", "อาดสะพังทอง"),
        T("ພີນ", "Phine", "พีน"),
        T("ເຊໂປນ", "Xepon", "เซโปน"),
        T("ນອງ", "Nong", "นอง"),
        T("ທ່າປາງທອງ", "Thapangthong", "ท่าปางทอง"),
        T("ສອງຄອນ", "Songkhone", "สองคอน"),
        T("ຈຳພອນ", "Champhone", "จำพอน"),
        T("ຊົນບູລີ", "Xonbouly", "ซนบุรี"),
        T("ໄຊບູລີ", "Xaybouly", "ไซบุรี"),
        T("ວິລະບູລີ", "Vilabouly", "วีละบุรี"),
        T("ອາດສະພອນ", "Atsaphone", "อาดสะพอน"),
        T("ພະລານໄຊ", "Phalanxay", "พะลานไซ"),
    ),
    "LA-SL": (
        T("ສາລະວັນ", "Salavan", "สาละวัน"),
        T("ຕະໂອ້ຍ", "Ta Oy", "ตะโอ้ย"),
        T("ຕຸ້ມລານ", "Toumlan", "ตุ้มลาน"),
        T("ລະຄອນເພັງ", "Lakhonepheng", "ละคอนเพ็ง"),
        T("ວາປີ", "Vapy", "วาปี"),
        T("ຄົງເຊໂດນ", "Khongxedone", "คงเซโดน"),
        T("ເລົ່າງາມ", "Lao Ngam", "เล่างาม"),
        T("ສະມ້ວຍ", "Samouay", "สะม้วย"),
    ),
    "LA-XE": (
        T("ລະມາມ", "Lamam", "ละมาม"),
        T("ກະລືມ", "Kaleum", "กะลึม"),
        T("ດາກຈຶງ", "Dakcheung", "ดากจึง"),
        T("ທ່າແຕງ", "Thateng", "ท่าแตง"),
    ),
    "LA-CH": (
        T("ປາກເຊ", "Pakse", "ปากเซ"),
        T("ຊະນະສົມບູນ", "Sanasomboun", "ซะนะสมบูน"),
        T("ບາຈຽງຈະເລີນສຸກ", "Bachiangchaleunsouk", "บาเจียงจะเลินสุข"),
        T("ປາກຊ່ອງ", "Paksong", "ปากซ่อง"),
        T("ປະທຸມພອນ", "Pathoumphone", "ปะทุมพอน"),
        T("ໂພນທອງ", "Phonthong", "โพนทอง"),
        T("ຈຳປາສັກ", "Champasak", "จำปาศักดิ์"),
        T("ສຸຂຸມາ", "Soukhouma", "สุขุมา"),
        T("ມູນລະປະໂມກ", "Mounlapamok", "มูนละปะโมก"),
        T("ໂຂງ", "Khong", "โขง"),
    ),
    "LA-AT": (
        T("ສາມັກຄີໄຊ", "Samakkhixay", "สามัคคีไซ"),
        T("ໄຊເສດຖາ", "Xaysetha", "ไชยเชษฐา"),
        T("ສະໜາມໄຊ", "Sanamxay", "สนามไซ"),
        T("ສານໄຊ", "Sanxay", "สานไซ"),
        T("ພູວົງ", "Phouvong", "ภูวง"),
    ),
    "LA-XS": (
        T("ອະນຸວົງ", "Anouvong", "อะนุวง"),
        T("ລ້ອງແຈ້ງ", "Longchaeng", "ล้องแจ้ง"),
        T("ລ້ອງຊານ", "Longxan", "ล้องซาน"),
        T("ຫົ່ມ", "Hom", "ห่ม"),
        T("ທ່າໂທມ", "Thathom", "ท่าโทม"),
    ),
}

# Common village names (without the ບ້ານ / Ban / บ้าน prefix, which the templates add).
VILLAGES: tuple[T, ...] = (
    T("ນາຄຳ", "Nakham", "นาคำ"),
    T("ໂພນໄຊ", "Phonxay", "โพนไซ"),
    T("ດອນແກ້ວ", "Donkeo", "ดอนแก้ว"),
    T("ໜອງບົວ", "Nongboua", "หนองบัว"),
    T("ຫ້ວຍຫອຍ", "Houayhoy", "ห้วยหอย"),
    T("ໂພນສະຫວ່າງ", "Phonsavang", "โพนสว่าง"),
    T("ນາສາລາ", "Nasala", "นาศาลา"),
    T("ທົ່ງໃສ", "Thongsai", "ทุ่งใส"),
    T("ນາໄຊ", "Naxay", "นาไซ"),
    T("ໂພນງາມ", "Phonngam", "โพนงาม"),
    T("ສີວິໄລ", "Sivilay", "ศรีวิไล"),
    T("ໂຄກສະອາດ", "Khoksaat", "โคกสะอาด"),
    T("ດອນໃໝ່", "Donmai", "ดอนใหม่"),
    T("ນາເມືອງ", "Namuang", "นาเมือง"),
    T("ໂພນທອງ", "Phonthong", "โพนทอง"),
    T("ນາບົງ", "Nabong", "นาบง"),
    T("ນາທອງ", "Nathong", "นาทอง"),
    T("ຫາດຊາຍ", "Hatxay", "หาดทราย"),
    T("ປາກຫ້ວຍ", "Pakhouay", "ปากห้วย"),
    T("ນ້ຳໃສ", "Namsai", "น้ำใส"),
    T("ຫ້ວຍຍາງ", "Houayyang", "ห้วยยาง"),
    T("ໜອງແສງ", "Nongsaeng", "หนองแสง"),
    T("ໂນນສະອາດ", "Nonsaat", "โนนสะอาด"),
    T("ນາດີ", "Nadi", "นาดี"),
    T("ບຶງຂາມ", "Beungkham", "บึงขาม"),
    T("ທ່າຊ້າງ", "Thaxang", "ท่าช้าง"),
    T("ວັງຄຳ", "Vangkham", "วังคำ"),
    T("ພູຄຳ", "Phoukham", "ภูคำ"),
    T("ຊຽງດາ", "Xiengda", "เชียงดา"),
    T("ໂພນແພງ", "Phonphaeng", "โพนแพง"),
    T("ນາຫີນ", "Nahin", "นาหิน"),
    T("ດອນສະຫວັນ", "Donsavanh", "ดอนสวรรค์"),
    T("ນາໂພ", "Napho", "นาโพธิ์"),
    T("ໂພສີ", "Phosy", "โพธิ์ศรี"),
    T("ນາຫວາຍ", "Navai", "นาหวาย"),
    T("ໂພນສີ", "Phonsy", "โพนศรี"),
    T("ຫ້ວຍນ້ຳເຢັນ", "Houay Nam Yen", "ห้วยน้ำเย็น"),
    T("ນາຍາງ", "Nayang", "นายาง"),
    T("ໂນນແກ້ວ", "Nonkeo", "โนนแก้ว"),
    T("ພູວຽງ", "Phouvieng", "ภูเวียง"),
    T("ໜອງໂດ", "Nongdo", "หนองโด"),
    T("ນາກາງ", "Nakang", "นากลาง"),
    T("ວຽງແກ້ວ", "Viengkeo", "เวียงแก้ว"),
    T("ດອນຄູນ", "Donkhoun", "ดอนคูณ"),
    T("ແສນສຸກ", "Saensouk", "แสนสุข"),
    T("ນາແຄ", "Nakhae", "นาแค"),
    T("ທົ່ງກາງ", "Thongkang", "ทุ่งกลาง"),
    T("ຫ້ວຍເຕີຍ", "Houaytoei", "ห้วยเตย"),
)

# Trade names that enterprises are often called by (given names and auspicious words).
BRAND_NAMES: tuple[T, ...] = (
    T("ພູຂຽວ", "Phou Khieo", "ภูเขียว"),
    T("ດອກຈຳປາ", "Dok Champa", "ดอกจำปา"),
    T("ນາງຄຳ", "Nang Kham", "นางคำ"),
    T("ສີສະຫວາດ", "Sisavath", "ศรีสวาท"),
    T("ແສງອາລຸນ", "Seng Aloun", "แสงอรุณ"),
    T("ຄຳແພງ", "Khamphaeng", "คำแพง"),
    T("ມະນີວັນ", "Manivanh", "มณีวรรณ"),
    T("ບົວຄຳ", "Bouakham", "บัวคำ"),
    T("ພອນສະຫວັນ", "Phonsavanh", "พรสวรรค์"),
    T("ຈັນທະລາ", "Chanthala", "จันทลา"),
    T("ວຽງສະໄໝ", "Viengsamay", "เวียงสมัย"),
    T("ດາລາວັນ", "Dalavanh", "ดาราวรรณ"),
    T("ສຸກສະຫວັນ", "Souksavanh", "สุขสวรรค์"),
    T("ແກ້ວມະນີ", "Keomany", "แก้วมณี"),
    T("ທອງດີ", "Thongdy", "ทองดี"),
    T("ນ້ຳໃສ", "Nam Sai", "น้ำใส"),
    T("ຮຸ່ງອາລຸນ", "Houng Aloun", "รุ่งอรุณ"),
    T("ໄຊສົມພອນ", "Xaysomphone", "ไซสมพร"),
    T("ພູພຽງ", "Phou Phieng", "ภูเพียง"),
    T("ສາຍນ້ຳ", "Sai Nam", "สายน้ำ"),
)


def province_label(code: str, name: dict[str, str]) -> T:
    """A province as a sentence names it: "ແຂວງຈຳປາສັກ" / "Champasak Province" (the capital has its own word)."""
    if code in ("LA-VT", "LA-VI"):  # "Vientiane Capital" / "Vientiane Province" already say what they are
        return T(name["lo"], name["en"], name["th"])
    return T(f"ແຂວງ{name['lo']}", f"{name['en']} Province", f"แขวง{name['th']}")


def place_label(district: T, province: T) -> T:
    """District and province: "ເມືອງປາກຊ່ອງ, ແຂວງຈຳປາສັກ" / "Paksong district, Champasak Province"."""
    return T(
        f"ເມືອງ{district.lo}, {province.lo}",
        f"{district.en} district, {province.en}",
        f"เมือง{district.th} {province.th}",
    )


def stored_place(place: T, prefix: T | None = None) -> str:
    """How a district or village is stored (one string): Lao first, then the romanisation buyers search for."""
    if prefix is None:
        return f"{place.lo} ({place.en})"
    return f"{prefix.lo}{place.lo} ({prefix.en} {place.en})"
