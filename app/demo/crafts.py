"""What producers do (their craft), how they are named, the story they tell, and where each craft is found.

Stories are two short paragraphs with placeholders ({village}, {district}, {year}, {members}, {women})
filled per producer. They say "we" so that they fit a group, a cooperative or a family enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.demo.text import T


@dataclass(frozen=True, slots=True)
class Craft:
    key: str
    # In a group's or cooperative's name: "ກຸ່ມ{word}ບ້ານ…" / "Ban … {word} Group" / "กลุ่ม{word}บ้าน…"
    word: T
    # In an enterprise's name with its trade name: "{word} ດອກຈຳປາ" / "Dok Champa {word}"
    trade: T
    kinds: tuple[tuple[str, int], ...]  # (kind key, weight)
    stories: tuple[T, T]
    women_share: float  # how likely a producer of this craft is women-led


CRAFTS: dict[str, Craft] = {
    craft.key: craft
    for craft in (
        Craft(
            key="silk",
            word=T("ທໍຜ້າໄໝ", "Silk Weavers", "ทอผ้าไหม"),
            trade=T("ຜ້າໄໝ", "Silk", "ผ้าไหม"),
            kinds=(
                ("silk-scarf", 4),
                ("silk-sinh", 2),
                ("pha-biang", 2),
                ("silk-fabric", 2),
                ("cocoon-soap", 1),
                ("mulberry-leaf-tea", 1),
            ),
            stories=(
                T(
                    "ແມ່ຍິງບ້ານ{village} ທໍຜ້າໄໝສືບທອດກັນມາຫຼາຍລຸ້ນ. ພວກເຮົາເລີ່ມຕົ້ນຮ່ວມກັນໃນປີ {year}, "
                    "ປັດຈຸບັນມີສະມາຊິກ "
                    "{members} ຄົນ ທີ່ລ້ຽງມອນ, ສາວໄໝ ແລະ ຍ້ອມສີດ້ວຍພືດຈາກປ່າອ້ອມແອ້ມເມືອງ{district}.",
                    "The women of Ban {village} have woven silk for generations. We started working together in "
                    "{year}; "
                    "today {members} members raise silkworms, reel the thread and dye it with plants from the forests "
                    "around {district}.",
                    "ผู้หญิงบ้าน{village}ทอผ้าไหมสืบทอดกันมาหลายชั่วอายุคน เราเริ่มรวมกลุ่มกันในปี {year} "
                    "ปัจจุบันมีสมาชิก "
                    "{members} คน เลี้ยงไหม สาวไหม และย้อมสีด้วยพืชจากป่ารอบเมือง{district}",
                ),
                T(
                    "ລາຍນາກ, ລາຍຂໍ ແລະ ລາຍດອກ ທີ່ພວກເຮົາທໍ ແມ່ນຮຽນມາຈາກຜ້າເກົ່າຂອງແມ່ຕູ້. ການຂາຍຜ່ານຫ້ອງວາງສະແດງ ODOP "
                    "ແລະ ງານວາງສະແດງສິນຄ້າ ເຮັດໃຫ້ແມ່ຍິງ {women} ຄົນມີລາຍໄດ້ໂດຍບໍ່ຕ້ອງອອກຈາກບ້ານ.",
                    "The naga, hook and flower motifs we weave come from our grandmothers' old cloths. Selling through "
                    "ODOP showrooms and trade fairs gives {women} women an income without leaving the village.",
                    "ลายนาค ลายขอ และลายดอกที่เราทอ เรียนรู้มาจากผ้าเก่าของแม่เฒ่า การขายผ่านโชว์รูม ODOP "
                    "และงานแสดงสินค้าทำให้ผู้หญิง {women} คนมีรายได้โดยไม่ต้องออกจากหมู่บ้าน",
                ),
            ),
            women_share=0.9,
        ),
        Craft(
            key="cotton",
            word=T("ທໍຜ້າຝ້າຍ", "Cotton Weavers", "ทอผ้าฝ้าย"),
            trade=T("ຜ້າຝ້າຍ", "Cotton", "ผ้าฝ้าย"),
            kinds=(
                ("indigo-scarf", 3),
                ("mudmee-cotton", 2),
                ("table-runner", 2),
                ("cotton-sinh", 2),
                ("handwoven-shirt", 1),
            ),
            stories=(
                T(
                    "ພວກເຮົາປູກຝ້າຍເອງ, ອິ້ວ ແລະ ເຂັນເປັນເສັ້ນດ້ວຍມື, ແລ້ວຍ້ອມຄາມຢູ່ບ້ານ{village}, ເມືອງ{district}. "
                    "ພວກເຮົາເລີ່ມຕົ້ນໃນປີ {year} ແລະ ປັດຈຸບັນມີຊ່າງທໍ {members} ຄົນ.",
                    "We grow our own cotton, gin and spin it by hand and dye it with indigo in Ban {village}, "
                    "{district} district. We started in {year} and now have {members} weavers.",
                    "เราปลูกฝ้ายเอง อีดและเข็นเป็นเส้นด้วยมือ แล้วย้อมครามที่บ้าน{village} เมือง{district} "
                    "เราเริ่มต้นในปี {year} ปัจจุบันมีช่างทอ {members} คน",
                ),
                T(
                    "ຜ້າມັດໝີ່ຂອງພວກເຮົາໃຊ້ເວລາຫຼາຍອາທິດ: ມັດລາຍ, ຍ້ອມ, ແລ້ວຈຶ່ງທໍດ້ວຍກີ່ໄມ້. ລາຍໄດ້ຊ່ວຍໃຫ້ແມ່ຍິງ {women} ຄົນສົ່ງລູກໄປໂຮງຮຽນ.",
                    "Each length of our mudmee ikat takes weeks: the pattern is tied, dyed and only then woven on a "
                    "wooden loom. The income helps {women} women keep their children in school.",
                    "ผ้ามัดหมี่ของเราใช้เวลาหลายสัปดาห์ ทั้งมัดลาย ย้อม แล้วจึงทอด้วยกี่ไม้ รายได้ช่วยให้ผู้หญิง {women} คนส่งลูกเรียนหนังสือ",
                ),
            ),
            women_share=0.85,
        ),
        Craft(
            key="embroidery",
            word=T("ຕັດຫຍິບ ແລະ ປັກແສ່ວ", "Embroidery and Tailoring", "ตัดเย็บและปักผ้า"),
            trade=T("ຫັດຖະກຳ", "Handicraft", "หัตถกรรม"),
            kinds=(("embroidered-bag", 3), ("handwoven-shirt", 2), ("cushion-cover", 2)),
            stories=(
                T(
                    "ທຸກລາຍປັກຂອງພວກເຮົາເຮັດດ້ວຍມື ຕາມແບບທີ່ສືບທອດກັນມາໃນບ້ານ{village}. ພວກເຮົາເລີ່ມຕັດຫຍິບເປັນກະເປົາ "
                    "ແລະ ເສື້ອຂາຍໃນປີ {year}; ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ.",
                    "Every stitch is made by hand, in patterns handed down in Ban {village}. We began sewing them into "
                    "bags and shirts for sale in {year}; today we are {members} members.",
                    "งานปักทุกชิ้นของเราทำด้วยมือ ตามลวดลายที่สืบทอดกันมาในบ้าน{village} เราเริ่มตัดเย็บเป็นกระเป๋า"
                    "และเสื้อขายในปี {year} ปัจจุบันมีสมาชิก {members} คน",
                ),
                T(
                    "ລາຍປັກແຕ່ລະລາຍມີຄວາມໝາຍ: ຫອຍ, ຕີນຊ້າງ ແລະ ດອກໄມ້ພູ. ຮ້ານຄ້າ ແລະ ໂຮງແຮມສາມາດສັ່ງສີ ແລະ ຂະໜາດທີ່ຕ້ອງການໄດ້.",
                    "Each motif has a meaning – the snail, the elephant's foot, the mountain flower. Shops and hotels "
                    "can order their own colours and sizes.",
                    "ลายปักแต่ละลายมีความหมาย ทั้งหอยทาก รอยเท้าช้าง และดอกไม้ภูเขา ร้านค้าและโรงแรมสั่งสีและขนาดตามต้องการได้",
                ),
            ),
            women_share=0.85,
        ),
        Craft(
            key="coffee",
            word=T("ປູກກາເຟ", "Coffee Growers", "ปลูกกาแฟ"),
            trade=T("ກາເຟ", "Coffee", "กาแฟ"),
            kinds=(("arabica", 4), ("robusta", 3), ("green-coffee", 2), ("drip-bags", 2), ("coffee-scrub", 1)),
            stories=(
                T(
                    "ສວນກາເຟຂອງພວກເຮົາຢູ່ເທິງພູພຽງບໍລະເວນ, ເມືອງ{district}. ດິນພູເຂົາໄຟ ແລະ ອາກາດເຢັນ "
                    "ເຮັດໃຫ້ກາເຟມີລົດຊາດ"
                    "ຫອມຫວານ. ພວກເຮົາລວມກັນໃນປີ {year} ແລະ ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ.",
                    "Our gardens lie on the Bolaven plateau in {district} district, where volcanic soil and cool "
                    "nights "
                    "give the coffee its sweetness. We joined forces in {year} and now count {members} members.",
                    "สวนกาแฟของเราอยู่บนที่ราบสูงโบลาเวน เมือง{district} ดินภูเขาไฟและอากาศเย็นทำให้กาแฟมีรสหอมหวาน "
                    "เรารวมตัวกันในปี {year} ปัจจุบันมีสมาชิก {members} คน",
                ),
                T(
                    "ພວກເຮົາເກັບສະເພາະໝາກກາເຟທີ່ສຸກແດງດ້ວຍມື, ຕາກເທິງຮ້ານຍົກສູງ ແລະ ຂົ້ວເປັນຊຸດນ້ອຍໆ "
                    "ເພື່ອຮັກສາກິ່ນຫອມ. "
                    "ການຂາຍກົງເຮັດໃຫ້ຊາວສວນໄດ້ລາຄາທີ່ຍຸຕິທຳ.",
                    "We pick only ripe red cherries by hand, dry them on raised beds and roast in small batches to "
                    "keep "
                    "the aroma. Selling directly gives growers a fair price.",
                    "เราเก็บเฉพาะผลกาแฟสุกสีแดงด้วยมือ ตากบนแคร่ยกสูง และคั่วเป็นชุดเล็ก ๆ เพื่อรักษากลิ่นหอม "
                    "การขายตรงทำให้ชาวสวนได้ราคาที่เป็นธรรม",
                ),
            ),
            women_share=0.35,
        ),
        Craft(
            key="tea",
            word=T("ປູກຊາ", "Tea Growers", "ปลูกชา"),
            trade=T("ຊາ", "Tea", "ชา"),
            kinds=(("ancient-green-tea", 3), ("tea-cake", 2), ("black-tea", 2), ("mulberry-leaf-tea", 1)),
            stories=(
                T(
                    "ຕົ້ນຊາຂອງພວກເຮົາບາງຕົ້ນມີອາຍຸຫຼາຍຮ້ອຍປີ, ຂຶ້ນຢູ່ຕາມສັນພູສູງຂອງເມືອງ{district}. "
                    "ພວກເຮົາເກັບຍອດຊາດ້ວຍມື "
                    "ແລະ ຂົ້ວໃນກະທະເຫຼັກ ຕາມວິທີທີ່ພໍ່ແມ່ສອນ.",
                    "Some of our tea trees are several hundred years old and grow on the high ridges of {district} "
                    "district. We pluck the buds by hand and pan-fire them in iron woks, as our parents taught us.",
                    "ต้นชาของเราบางต้นมีอายุหลายร้อยปี ขึ้นอยู่บนสันเขาสูงของเมือง{district} เราเด็ดยอดชาด้วยมือ "
                    "และคั่วในกระทะเหล็กตามวิธีที่พ่อแม่สอนมา",
                ),
                T(
                    "ພວກເຮົາເລີ່ມເຮັດຊາຂາຍໃນປີ {year}, ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ. ສວນຊາບໍ່ໃຊ້ປຸ໋ຍເຄມີ ແລະ "
                    "ຢາຂ້າຫຍ້າ, ແລະ ພວກເຮົາເກັບຊາພຽງປີລະສອງລະດູ.",
                    "We began selling our tea in {year} and are now {members} members. No chemical fertiliser or "
                    "herbicide is used in the gardens, and we harvest in only two seasons a year.",
                    "เราเริ่มทำชาขายในปี {year} ปัจจุบันมีสมาชิก {members} คน สวนชาไม่ใช้ปุ๋ยเคมีและยาฆ่าหญ้า และเก็บชาเพียงปีละสองฤดู",
                ),
            ),
            women_share=0.45,
        ),
        Craft(
            key="honey",
            word=T("ລ້ຽງເຜິ້ງ", "Beekeepers", "เลี้ยงผึ้ง"),
            trade=T("ນ້ຳເຜິ້ງ", "Honey", "น้ำผึ้ง"),
            kinds=(("forest-honey", 4), ("beeswax-candle", 1), ("herbal-balm", 1)),
            stories=(
                T(
                    "ພວກເຮົາລ້ຽງເຜິ້ງໃນຫີບໄມ້ ຢູ່ແຄມປ່າອ້ອມບ້ານ{village}. ເຜິ້ງເກັບນ້ຳຫວານຈາກດອກໄມ້ປ່າ ແລະ ດອກລຳໄຍ, "
                    "ພວກເຮົາຈຶ່ງໄດ້ນ້ຳເຜິ້ງທີ່ຫອມ ແລະ ບໍ່ປົນຫຍັງເລີຍ.",
                    "We keep our bees in wooden hives at the forest edge around Ban {village}. They forage on wild "
                    "flowers and longan blossom, which gives a fragrant honey with nothing added.",
                    "เราเลี้ยงผึ้งในหีบไม้ที่ชายป่ารอบบ้าน{village} ผึ้งเก็บน้ำหวานจากดอกไม้ป่าและดอกลำไย จึงได้น้ำผึ้งที่หอมและไม่ผสมสิ่งใดเลย",
                ),
                T(
                    "ການລ້ຽງເຜິ້ງຢູ່ນີ້ເລີ່ມໃນປີ {year} ດ້ວຍຫີບເຜິ້ງພຽງສິບຫີບ; ປັດຈຸບັນສະມາຊິກ {members} ຄົນ ດູແລຫຼາຍຮ້ອຍຫີບ ແລະ ຊ່ວຍກັນຮັກສາປ່າ.",
                    "Beekeeping here started in {year} with just ten hives; today {members} members look after several "
                    "hundred and help protect the forest the bees depend on.",
                    "การเลี้ยงผึ้งที่นี่เริ่มในปี {year} ด้วยหีบผึ้งเพียงสิบหีบ ปัจจุบันสมาชิก {members} คนดูแลหลายร้อยหีบ และช่วยกันรักษาป่า",
                ),
            ),
            women_share=0.3,
        ),
        Craft(
            key="rice",
            word=T("ແປຮູບເຂົ້າ", "Rice Processing", "แปรรูปข้าว"),
            trade=T("ເຂົ້າ", "Rice", "ข้าว"),
            kinds=(("rice-crackers", 3), ("purple-rice", 2), ("organic-sticky-rice", 2), ("rice-vermicelli", 2)),
            stories=(
                T(
                    "ນາຂອງພວກເຮົາຢູ່ເມືອງ{district}, ປູກເຂົ້າໜຽວພັນພື້ນເມືອງໂດຍບໍ່ໃຊ້ສານເຄມີ. ແຕ່ປີ {year} ແມ່ບ້ານ "
                    "{women} ຄົນ ລວມກັນແປຮູບເຂົ້າເປັນເຂົ້າໜົມ ເພື່ອເພີ່ມມູນຄ່າໃຫ້ຜົນຜະລິດ.",
                    "Our paddies in {district} district grow local sticky-rice varieties without chemicals. Since "
                    "{year}, {women} village women have been turning the harvest into products that earn more than the "
                    "raw grain.",
                    "นาของเราอยู่ที่เมือง{district} ปลูกข้าวเหนียวพันธุ์พื้นเมืองโดยไม่ใช้สารเคมี ตั้งแต่ปี {year} "
                    "แม่บ้าน {women} คนรวมกลุ่มกันแปรรูปข้าว เพื่อเพิ่มมูลค่าให้ผลผลิต",
                ),
                T(
                    "ພວກເຮົາຄັດເຂົ້າດ້ວຍມື, ຕາກແດດ ແລະ ບັນຈຸໃນໂຮງງານນ້ອຍທີ່ໄດ້ມາດຕະຖານອະນາໄມ. ມີສະມາຊິກ {members} ຄົນ "
                    "ແລະ ສົ່ງຂາຍທົ່ວແຂວງ.",
                    "The rice is sorted by hand, sun-dried and packed in a small workshop that meets hygiene "
                    "standards. "
                    "We are {members} members and deliver across the province.",
                    "เราคัดข้าวด้วยมือ ตากแดด และบรรจุในโรงงานเล็ก ๆ ที่ได้มาตรฐานสุขอนามัย มีสมาชิก {members} คน และส่งขายทั่วแขวง",
                ),
            ),
            women_share=0.75,
        ),
        Craft(
            key="food",
            word=T("ແປຮູບອາຫານ", "Food Processing", "แปรรูปอาหาร"),
            trade=T("ອາຫານພື້ນເມືອງ", "Foods", "อาหารพื้นเมือง"),
            kinds=(("sai-oua", 3), ("sien-savanh", 3), ("kaipen", 3), ("dried-bamboo", 2), ("dried-banana", 1)),
            stories=(
                T(
                    "ສູດອາຫານຂອງພວກເຮົາມາຈາກເຮືອນຄົວຂອງແມ່ຕູ້ ໃນບ້ານ{village}. ພວກເຮົາໃຊ້ວັດຖຸດິບຈາກຊາວກະສິກອນ"
                    "ໃນເມືອງ{district}, ບໍ່ໃສ່ສານກັນບູດ ແລະ ບໍ່ໃສ່ສີ.",
                    "Our recipes come from a grandmother's kitchen in Ban {village}. We buy from farmers in {district} "
                    "district and use no preservatives or colourings.",
                    "สูตรอาหารของเรามาจากครัวของแม่เฒ่าในบ้าน{village} เราใช้วัตถุดิบจากเกษตรกรในเมือง{district} "
                    "ไม่ใส่สารกันบูดและไม่ใส่สี",
                ),
                T(
                    "ພວກເຮົາເລີ່ມຜະລິດຂາຍໃນປີ {year}; ປັດຈຸບັນມີ {members} ຄົນຊ່ວຍກັນເຮັດ ແລະ ສົ່ງໃຫ້ຮ້ານຄ້າ, "
                    "ຮ້ານອາຫານ "
                    "ແລະ ໂຮງແຮມໃນຕົວເມືອງ.",
                    "We started producing for sale in {year}; today {members} people work with us, supplying shops, "
                    "restaurants and hotels in town.",
                    "เราเริ่มผลิตขายในปี {year} ปัจจุบันมี {members} คนช่วยกันทำ และส่งให้ร้านค้า ร้านอาหาร และโรงแรมในตัวเมือง",
                ),
            ),
            women_share=0.6,
        ),
        Craft(
            key="sauces",
            word=T("ເຮັດແຈ່ວ ແລະ ເຄື່ອງປຸງ", "Chilli Paste and Spice Makers", "ทำน้ำพริกและเครื่องปรุง"),
            trade=T("ແຈ່ວ", "Jeow", "แจ่ว"),
            kinds=(("jeow-bong", 3), ("padaek", 3), ("mak-khaen", 2), ("cardamom", 2)),
            stories=(
                T(
                    "ແຈ່ວບອງຂອງພວກເຮົາຍັງເຮັດຕາມສູດເກົ່າ: ໝາກເຜັດຈີ່, ຫອມ, ກະທຽມ ແລະ ໜັງຄວາຍ, ຕຳດ້ວຍຄົກຫີນ. "
                    "ພວກເຮົາເລີ່ມຕົ້ນໃນປີ {year}, ມີສະມາຊິກ {members} ຄົນ.",
                    "Our jeow is still made the old way: roasted chillies, shallots, garlic and buffalo skin pounded "
                    "in "
                    "a stone mortar. We started in {year} and have {members} members.",
                    "แจ่วบองของเรายังทำตามสูตรดั้งเดิม ทั้งพริกย่าง หอม กระเทียม และหนังควาย ตำด้วยครกหิน "
                    "เราเริ่มต้นในปี {year} มีสมาชิก {members} คน",
                ),
                T(
                    "ເຄື່ອງເທດທີ່ພວກເຮົາໃຊ້ ເກັບມາຈາກປ່າ ແລະ ສວນຂອງສະມາຊິກໃນເມືອງ{district}. ທຸກກະປຸກຖືກບັນຈຸ ແລະ ປິດຝາດ້ວຍມື.",
                    "The spices we use are gathered from the forest and members' gardens in {district} district. Every "
                    "jar is filled and sealed by hand.",
                    "เครื่องเทศที่เราใช้เก็บมาจากป่าและสวนของสมาชิกในเมือง{district} ทุกกระปุกบรรจุและปิดฝาด้วยมือ",
                ),
            ),
            women_share=0.7,
        ),
        Craft(
            key="spirits",
            word=T("ຕົ້ມເຫຼົ້າ", "Rice Spirit Makers", "ต้มเหล้า"),
            trade=T("ເຫຼົ້າ", "Spirits", "สุรา"),
            kinds=(("lao-lao", 3), ("sato", 2), ("fruit-wine", 2)),
            stories=(
                T(
                    "ພວກເຮົາຕົ້ມເຫຼົ້າຈາກເຂົ້າໜຽວ ແລະ ແປ້ງເຫຼົ້າທີ່ເຮັດເອງ, ກັ່ນດ້ວຍໝໍ້ດິນຕາມແບບຂອງບ້ານ{village}. "
                    "ພວກເຮົາເຮັດວຽກຮ່ວມກັນມາແຕ່ປີ {year} ແລະ ມີສະມາຊິກ {members} ຄົນ.",
                    "We distil from sticky rice and our own yeast cakes in clay stills, the way Ban {village} has "
                    "always "
                    "done it. We have worked together since {year} and are {members} members.",
                    "เราต้มเหล้าจากข้าวเหนียวและลูกแป้งที่ทำเอง กลั่นด้วยหม้อดินตามแบบของบ้าน{village} "
                    "เราทำงานร่วมกันมาตั้งแต่ปี {year} มีสมาชิก {members} คน",
                ),
                T(
                    "ເຫຼົ້າແຕ່ລະຊຸດຖືກພັກໄວ້ໃນໄຫຢ່າງໜ້ອຍສາມເດືອນ ກ່ອນບັນຈຸຂວດ. ພວກເຮົາຂາຍໃຫ້ນັກທ່ອງທ່ຽວ ແລະ ຮ້ານຂາຍຂອງຝາກໃນເມືອງ{district}.",
                    "Each batch rests in earthenware jars for at least three months before bottling. We sell to "
                    "visitors "
                    "and souvenir shops in {district}.",
                    "เหล้าแต่ละชุดพักไว้ในไหอย่างน้อยสามเดือนก่อนบรรจุขวด เราขายให้นักท่องเที่ยวและร้านของฝากในเมือง{district}",
                ),
            ),
            women_share=0.3,
        ),
        Craft(
            key="fruit",
            word=T("ແປຮູບໝາກໄມ້", "Fruit Processing", "แปรรูปผลไม้"),
            trade=T("ໝາກໄມ້", "Fruit", "ผลไม้"),
            kinds=(("passion-juice", 3), ("dried-banana", 3), ("dried-mango", 2), ("fruit-wine", 1)),
            stories=(
                T(
                    "ພວກເຮົາຮັບຊື້ໝາກໄມ້ສຸກຈາກສວນຂອງຊາວບ້ານ{village} ແລ້ວແປຮູບພາຍໃນມື້ດຽວ, ເພື່ອບໍ່ໃຫ້ໝາກໄມ້ເສຍ ແລະ ຊາວສວນມີລາຍໄດ້ຕະຫຼອດປີ.",
                    "We buy ripe fruit from the gardens of Ban {village} and process it the same day, so nothing is "
                    "wasted and growers earn all year round.",
                    "เรารับซื้อผลไม้สุกจากสวนของชาวบ้าน{village} แล้วแปรรูปภายในวันเดียว เพื่อไม่ให้ผลไม้เสีย และชาวสวนมีรายได้ตลอดปี",
                ),
                T(
                    "ພວກເຮົາເລີ່ມຕົ້ນໃນປີ {year} ດ້ວຍເຕົາອົບແສງຕາເວັນໜ່ວຍດຽວ; ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ "
                    "ແລະ ສົ່ງຂາຍໄປຮອດນະຄອນຫຼວງວຽງຈັນ.",
                    "We started in {year} with a single solar dryer; today {members} members supply shops as far as "
                    "Vientiane.",
                    "เราเริ่มต้นในปี {year} ด้วยตู้อบพลังงานแสงอาทิตย์เพียงตู้เดียว ปัจจุบันมีสมาชิก {members} คน "
                    "และส่งขายไปถึงนครหลวงเวียงจันทน์",
                ),
            ),
            women_share=0.6,
        ),
        Craft(
            key="basketry",
            word=T("ຈັກສານ", "Basketry", "จักสาน"),
            trade=T("ຈັກສານ", "Basketry", "จักสาน"),
            kinds=(("sticky-rice-basket", 3), ("rattan-basket", 3), ("bamboo-lampshade", 2), ("rattan-stool", 1)),
            stories=(
                T(
                    "ທັງຜູ້ຊາຍ ແລະ ຜູ້ຍິງໃນບ້ານ{village} ຈັກສານໃນຍາມວ່າງຈາກນາ. ພວກເຮົາໃຊ້ໄມ້ໄຜ່ ແລະ ຫວາຍຈາກປ່າຊຸມຊົນ, "
                    "ຕັດຢ່າງມີແຜນ ເພື່ອໃຫ້ປ່າງອກຄືນໃໝ່.",
                    "Men and women in Ban {village} weave baskets in the months between rice seasons. Bamboo and "
                    "rattan "
                    "are cut from the community forest on a rota so that it grows back.",
                    "ทั้งผู้ชายและผู้หญิงในบ้าน{village}จักสานในช่วงว่างจากการทำนา เราใช้ไม้ไผ่และหวายจากป่าชุมชน "
                    "ตัดอย่างมีแผนเพื่อให้ป่างอกขึ้นใหม่",
                ),
                T(
                    "ພວກເຮົາເລີ່ມຂາຍໃນປີ {year} ແລະ ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ. ຮັບສັ່ງເຮັດຕາມແບບ ແລະ ຂະໜາດ"
                    "ທີ່ລູກຄ້າຕ້ອງການ ສຳລັບໂຮງແຮມ ແລະ ຮ້ານອາຫານ.",
                    "We began selling in {year} and now have {members} members. We take orders to the customer's "
                    "design "
                    "and size for hotels and restaurants.",
                    "เราเริ่มขายในปี {year} ปัจจุบันมีสมาชิก {members} คน รับสั่งทำตามแบบและขนาดที่ลูกค้าต้องการ "
                    "สำหรับโรงแรมและร้านอาหาร",
                ),
            ),
            women_share=0.4,
        ),
        Craft(
            key="wood",
            word=T("ແກະສະຫຼັກໄມ້", "Woodcarvers", "แกะสลักไม้"),
            trade=T("ເຄື່ອງໄມ້", "Woodcraft", "เครื่องไม้"),
            kinds=(("carved-elephant", 3), ("wooden-tray", 2)),
            stories=(
                T(
                    "ຊ່າງແກະສະຫຼັກຂອງພວກເຮົາຮຽນວິຊາມາຈາກວັດ ແລະ ຈາກພໍ່. ພວກເຮົາໃຊ້ສະເພາະໄມ້ທີ່ມີໃບອະນຸຍາດ "
                    "ແລະ ເສດໄມ້ຈາກໂຮງເລື່ອຍ, ບໍ່ຕັດໄມ້ຈາກປ່າ.",
                    "Our carvers learned their craft at the temple and from their fathers. We only use licensed timber "
                    "and off-cuts from sawmills – never wood from the forest.",
                    "ช่างแกะสลักของเราเรียนวิชามาจากวัดและจากพ่อ เราใช้เฉพาะไม้ที่มีใบอนุญาตและเศษไม้จากโรงเลื่อย ไม่ตัดไม้จากป่า",
                ),
                T(
                    "ໂຮງງານນ້ອຍຂອງພວກເຮົາຢູ່ບ້ານ{village}, ເມືອງ{district}, ເປີດມາແຕ່ປີ {year} ແລະ ມີຊ່າງ {members} ຄົນ.",
                    "Our small workshop in Ban {village}, {district} district, has been open since {year} and has "
                    "{members} craftspeople.",
                    "โรงงานเล็ก ๆ ของเราอยู่ที่บ้าน{village} เมือง{district} เปิดมาตั้งแต่ปี {year} มีช่าง {members} คน",
                ),
            ),
            women_share=0.15,
        ),
        Craft(
            key="pottery",
            word=T("ປັ້ນໝໍ້", "Potters", "ปั้นหม้อ"),
            trade=T("ເຄື່ອງປັ້ນດິນເຜົາ", "Pottery", "เครื่องปั้นดินเผา"),
            kinds=(("water-jar", 3), ("clay-cups", 2)),
            stories=(
                T(
                    "ດິນໜຽວແຄມແມ່ນ້ຳຂອງບ້ານ{village} ເໝາະສຳລັບປັ້ນໝໍ້. ພວກເຮົາຍັງປັ້ນດ້ວຍມື ແລະ ເຜົາໃນເຕົາຟືນ ຕາມແບບທີ່ບ້ານເຮັດມາຫຼາຍຮ້ອຍປີ.",
                    "The riverbank clay of Ban {village} is ideal for pottery. We still shape by hand and fire in wood "
                    "kilns, as the village has done for centuries.",
                    "ดินเหนียวริมแม่น้ำของบ้าน{village}เหมาะสำหรับปั้นหม้อ เรายังปั้นด้วยมือและเผาในเตาฟืน ตามแบบที่หมู่บ้านทำมาหลายร้อยปี",
                ),
                T(
                    "ພວກເຮົາເຮັດວຽກຮ່ວມກັນມາແຕ່ປີ {year}; ສະມາຊິກ {members} ຄົນ ເຮັດທັງໝໍ້ນ້ຳ, ໄຫ ແລະ ເຄື່ອງໃຊ້ໃນເຮືອນ.",
                    "We have worked together since {year}; {members} members make water jars, storage jars and "
                    "tableware.",
                    "เราทำงานร่วมกันมาตั้งแต่ปี {year} สมาชิก {members} คนทำทั้งหม้อน้ำ ไห และเครื่องใช้ในบ้าน",
                ),
            ),
            women_share=0.55,
        ),
        Craft(
            key="silver",
            word=T("ຊ່າງເງິນ", "Silversmiths", "ช่างเงิน"),
            trade=T("ເຄື່ອງເງິນ", "Silver", "เครื่องเงิน"),
            kinds=(("silver-bracelet", 3), ("silver-bowl", 2)),
            stories=(
                T(
                    "ຄອບຄົວຂອງພວກເຮົາເປັນຊ່າງເງິນມາສາມລຸ້ນ. ທຸກຊິ້ນຕີ ແລະ ສະຫຼັກລາຍດ້ວຍມື ຈາກເງິນທີ່ມີຄວາມບໍລິສຸດສູງ.",
                    "Our families have been silversmiths for three generations. Every piece is hammered and chased by "
                    "hand from high-purity silver.",
                    "ครอบครัวของเราเป็นช่างเงินมาสามชั่วอายุคน ทุกชิ้นตีและสลักลายด้วยมือจากเงินที่มีความบริสุทธิ์สูง",
                ),
                T(
                    "ຮ້ານຂອງພວກເຮົາເປີດຢູ່ບ້ານ{village} ແຕ່ປີ {year}; ມີຊ່າງ {members} ຄົນ ແລະ ຮັບສັ່ງເຮັດຂັນ, ກຳໄລ ແລະ ເຄື່ອງປະດັບ.",
                    "Our workshop in Ban {village} has been open since {year}; {members} smiths make offering bowls, "
                    "bracelets and jewellery to order.",
                    "ร้านของเราเปิดที่บ้าน{village}ตั้งแต่ปี {year} มีช่าง {members} คน รับสั่งทำขัน กำไล และเครื่องประดับ",
                ),
            ),
            women_share=0.2,
        ),
        Craft(
            key="paper",
            word=T("ເຮັດເຈ້ຍສາ", "Mulberry Paper Makers", "ทำกระดาษสา"),
            trade=T("ເຈ້ຍສາ", "Saa Paper", "กระดาษสา"),
            kinds=(("saa-paper", 3), ("paper-notebook", 2), ("paper-lantern", 2)),
            stories=(
                T(
                    "ເຈ້ຍສາເຮັດຈາກເປືອກຕົ້ນສາ ທີ່ຕົ້ມ, ຕຳ ແລະ ຊ້ອນໃນນ້ຳ ແລ້ວຕາກແດດເທິງຕະແກງ. ແມ່ຍິງບ້ານ{village} "
                    "ໃສ່ດອກໄມ້ ແລະ ໃບໄມ້ລົງໃນເຈ້ຍ ຈົນເປັນເອກະລັກຂອງບ້ານ.",
                    "Saa paper is made from mulberry bark that is boiled, beaten, floated onto screens and dried in "
                    "the "
                    "sun. The women of Ban {village} press flowers and leaves into each sheet – the village's "
                    "signature.",
                    "กระดาษสาทำจากเปลือกต้นสาที่ต้ม ทุบ แล้วช้อนในน้ำ ตากแดดบนตะแกรง ผู้หญิงบ้าน{village}"
                    "ใส่ดอกไม้และใบไม้ลงในกระดาษ จนกลายเป็นเอกลักษณ์ของหมู่บ้าน",
                ),
                T(
                    "ພວກເຮົາເລີ່ມເຮັດເຈ້ຍສາຂາຍໃນປີ {year}; ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ ແລະ "
                    "ສົ່ງໃຫ້ຮ້ານຂາຍຂອງທີ່ລະນຶກ"
                    "ໃນຫຼວງພະບາງ ແລະ ວຽງຈັນ.",
                    "We began making paper for sale in {year}; today {members} members supply souvenir shops in Luang "
                    "Prabang and Vientiane.",
                    "เราเริ่มทำกระดาษสาขายในปี {year} ปัจจุบันมีสมาชิก {members} คน ส่งให้ร้านของที่ระลึกในหลวงพระบางและเวียงจันทน์",
                ),
            ),
            women_share=0.8,
        ),
        Craft(
            key="herbal",
            word=T("ສະໝຸນໄພ", "Herbal", "สมุนไพร"),
            trade=T("ສະໝຸນໄພ", "Herbals", "สมุนไพร"),
            kinds=(
                ("herbal-balm", 3),
                ("herbal-compress", 2),
                ("sauna-herbs", 2),
                ("herbal-soap", 3),
                ("incense", 2),
                ("agarwood", 2),
                ("mulberry-leaf-tea", 1),
            ),
            stories=(
                T(
                    "ໝໍຢາພື້ນເມືອງໃນບ້ານ{village} ສອນພວກເຮົາໃຫ້ຮູ້ຈັກພືດສະໝຸນໄພຫຼາຍກວ່າຮ້ອຍຊະນິດ. ພວກເຮົາປູກ ແລະ "
                    "ເກັບສະໝຸນໄພເອງ, ຕາກແຫ້ງໃນຮົ່ມ ເພື່ອຮັກສາກິ່ນ ແລະ ສັບພະຄຸນ.",
                    "The traditional healers of Ban {village} taught us more than a hundred medicinal plants. We grow "
                    "and gather our herbs ourselves and dry them in the shade to keep their scent and properties.",
                    "หมอยาพื้นบ้านในบ้าน{village}สอนให้เรารู้จักพืชสมุนไพรกว่าร้อยชนิด เราปลูกและเก็บสมุนไพรเอง "
                    "ตากแห้งในที่ร่มเพื่อรักษากลิ่นและสรรพคุณ",
                ),
                T(
                    "ພວກເຮົາເລີ່ມໃນປີ {year}; ປັດຈຸບັນມີສະມາຊິກ {members} ຄົນ ໃນນັ້ນແມ່ຍິງ {women} ຄົນ. "
                    "ທຸກຜະລິດຕະພັນເຮັດເປັນຊຸດນ້ອຍໆ ໂດຍບໍ່ໃສ່ນ້ຳຫອມສັງເຄາະ.",
                    "We started in {year}; today we are {members} members, {women} of them women. Everything is made "
                    "in "
                    "small batches with no synthetic fragrance.",
                    "เราเริ่มต้นในปี {year} ปัจจุบันมีสมาชิก {members} คน เป็นผู้หญิง {women} คน "
                    "ทุกผลิตภัณฑ์ทำเป็นชุดเล็ก ๆ ไม่ใส่น้ำหอมสังเคราะห์",
                ),
            ),
            women_share=0.7,
        ),
    )
}

# Which crafts each province is known for, with weights (Bolaven coffee in the south, Phongsaly tea,
# Houaphanh silk, Xiengkhouang honey and paper, rattan in Vientiane Province and Bolikhamxay…).
PROVINCE_CRAFTS: dict[str, dict[str, int]] = {
    "LA-VT": {"silk": 3, "embroidery": 2, "herbal": 2, "food": 2, "silver": 2, "cotton": 1, "sauces": 1, "wood": 1,
              "rice": 1, "fruit": 1, "paper": 1},
    "LA-PH": {"tea": 5, "cotton": 2, "basketry": 2, "herbal": 1, "honey": 1, "embroidery": 1},
    "LA-LM": {"cotton": 3, "embroidery": 2, "basketry": 2, "rice": 2, "sauces": 1, "tea": 1, "herbal": 1},
    "LA-OU": {"tea": 2, "sauces": 2, "basketry": 2, "herbal": 2, "cotton": 1, "rice": 1, "honey": 1},
    "LA-BK": {"cotton": 2, "rice": 2, "spirits": 2, "basketry": 1, "fruit": 1, "honey": 1},
    "LA-LP": {"silk": 3, "paper": 2, "spirits": 2, "food": 2, "pottery": 1, "sauces": 1, "wood": 1, "silver": 1,
              "cotton": 1},
    "LA-HO": {"silk": 4, "cotton": 1, "rice": 1, "spirits": 1, "herbal": 1, "honey": 1},
    "LA-XA": {"cotton": 2, "rice": 2, "spirits": 1, "fruit": 1, "food": 1, "basketry": 1},
    "LA-XI": {"honey": 3, "paper": 2, "embroidery": 2, "tea": 1, "rice": 1, "food": 1, "spirits": 1},
    "LA-VI": {"basketry": 4, "rice": 2, "food": 2, "fruit": 1, "herbal": 1, "cotton": 1, "pottery": 1},
    "LA-BL": {"basketry": 3, "herbal": 3, "honey": 1, "rice": 1, "fruit": 1},
    "LA-KH": {"sauces": 2, "herbal": 2, "cotton": 2, "basketry": 1, "pottery": 1, "rice": 1},
    "LA-SV": {"cotton": 3, "food": 3, "rice": 2, "silk": 1, "herbal": 1, "sauces": 1},
    "LA-SL": {"coffee": 4, "cotton": 2, "honey": 1, "fruit": 1, "herbal": 1, "basketry": 1},
    "LA-XE": {"coffee": 4, "cotton": 2, "basketry": 2, "honey": 1},
    "LA-CH": {"coffee": 4, "silk": 2, "fruit": 2, "tea": 1, "sauces": 1, "food": 1, "herbal": 1, "rice": 1},
    "LA-AT": {"honey": 3, "cotton": 2, "basketry": 2, "coffee": 1, "herbal": 1},
    "LA-XS": {"embroidery": 3, "honey": 1, "basketry": 1, "herbal": 1, "spirits": 1, "rice": 1},
}  # fmt: skip

# Roughly how many producers each province has compared with the others (bigger provinces, more producers).
PROVINCE_WEIGHTS: dict[str, int] = {
    "LA-VT": 10, "LA-SV": 9, "LA-CH": 8, "LA-LP": 7, "LA-VI": 6, "LA-SL": 5, "LA-KH": 5, "LA-XA": 5, "LA-OU": 4,
    "LA-HO": 4, "LA-XI": 4, "LA-BL": 4, "LA-LM": 3, "LA-BK": 3, "LA-PH": 3, "LA-AT": 2, "LA-XE": 2, "LA-XS": 2,
}  # fmt: skip
