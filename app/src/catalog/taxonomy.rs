//! The category taxonomy: a fixed list of categories, each with the title keywords that put
//! a product in it. Rules are tried in order; the first category with a matching keyword
//! wins, so specific categories (Christmas) come before broad ones (home decor). A keyword
//! matches whole words of the upper-cased title ("TIN" does not match "TINSEL"); a keyword
//! with a space matches that phrase.

pub struct Category {
    pub slug: &'static str,
    pub keywords: &'static [&'static str],
}

/// Products that no rule matches. Kept under 5% of the catalogue (checked by a test).
pub const OTHER: &str = "other";

pub const CATEGORIES: &[Category] = &[
    Category {
        slug: "christmas",
        keywords: &[
            "CHRISTMAS",
            "XMAS",
            "ADVENT",
            "SANTA",
            "REINDEER",
            "BAUBLE",
            "SNOWFLAKE",
            "NATIVITY",
            "TINSEL",
            "SNOWMAN",
            "STAR TREE",
        ],
    },
    Category {
        slug: "seasonal",
        keywords: &[
            "EASTER",
            "VALENTINE",
            "HALLOWEEN",
            "EGG",
            "BUNNY",
            "CHICK",
            "SPRING",
        ],
    },
    Category {
        slug: "party",
        keywords: &[
            "PARTY",
            "BUNTING",
            "BALLOON",
            "CAKE CASES",
            "PAPER CHAIN",
            "CANDLES",
            "BIRTHDAY",
            "CONFETTI",
            "STRAWS",
            "PARASOL",
        ],
    },
    Category {
        slug: "lighting",
        keywords: &[
            "T-LIGHT",
            "TLIGHT",
            "CANDLE",
            "LANTERN",
            "LIGHT",
            "LIGHTS",
            "LAMP",
            "NIGHT LIGHT",
            "CANDLEHOLDER",
            "LED",
        ],
    },
    Category {
        slug: "kitchen",
        keywords: &[
            "MUG",
            "CUP",
            "CUPS",
            "PLATE",
            "PLATES",
            "BOWL",
            "BOWLS",
            "TEA",
            "TEAPOT",
            "COFFEE",
            "BAKING",
            "CAKE",
            "CAKESTAND",
            "LUNCH",
            "JAR",
            "JUG",
            "SPOON",
            "CUTLERY",
            "NAPKINS",
            "APRON",
            "OVEN",
            "KITCHEN",
            "RECIPE",
            "CHOPPING",
            "TRAY",
            "EGG CUP",
            "BOTTLE",
            "GLASS",
            "TUMBLER",
            "PANTRY",
            "JELLY",
            "MOULD",
            "TEATIME",
            "DINNER",
            "BREAD",
            "BISCUIT",
            "SUGAR",
            "MILK",
            "SCALES",
            "TOAST",
            "COASTER",
            "COASTERS",
            "PICNIC",
            "FOOD",
            "STRAW",
        ],
    },
    Category {
        slug: "bags",
        keywords: &[
            "BAG",
            "BAGS",
            "TOTE",
            "SHOPPER",
            "PURSE",
            "WALLET",
            "RUCKSACK",
            "BACKPACK",
            "CHARLOTTE",
        ],
    },
    Category {
        slug: "stationery",
        keywords: &[
            "CARD",
            "CARDS",
            "NOTEBOOK",
            "PEN",
            "PENS",
            "PENCIL",
            "PENCILS",
            "STICKER",
            "STICKERS",
            "TAPE",
            "ENVELOPE",
            "ENVELOPES",
            "JOURNAL",
            "NOTE",
            "NOTES",
            "ERASER",
            "RUBBER",
            "RULER",
            "DIARY",
            "BOOK",
            "SKETCHBOOK",
            "MEMO",
            "CALENDAR",
            "LETTER",
            "CRAYONS",
            "CHALK",
            "STAMP",
            "STAMPS",
            "ADDRESS",
        ],
    },
    Category {
        slug: "gift-wrap",
        keywords: &[
            "WRAP", "WRAPPING", "GIFT", "RIBBON", "RIBBONS", "TISSUE", "TISSUES",
        ],
    },
    Category {
        slug: "toys",
        keywords: &[
            "TOY",
            "TOYS",
            "GAME",
            "GAMES",
            "DOLL",
            "DOLLY",
            "PUZZLE",
            "JIGSAW",
            "SKITTLES",
            "DOMINOES",
            "DOMINO",
            "SPACEBOY",
            "TEDDY",
            "BEAR",
            "PLAYHOUSE",
            "SOLDIER",
            "BINGO",
            "CARDS GAME",
            "SPINNING",
            "KNITTING",
            "KIT",
            "MAGIC",
            "BUBBLES",
            "BALL",
            "HELICOPTER",
            "PLANE",
            "ROCKET",
            "TRAIN",
            "CIRCUS",
            "PUPPET",
            "RACING",
            "BUILDING",
            "BLOCK",
            "WORD",
        ],
    },
    Category {
        slug: "kids",
        keywords: &[
            "CHILDRENS",
            "CHILDREN'S",
            "CHILDS",
            "BABY",
            "KIDS",
            "NURSERY",
            "DOLLY GIRL",
            "SCHOOL",
            "PIRATE",
            "FAIRY",
            "PRINCESS",
            "DINOSAUR",
            "ALPHABET",
        ],
    },
    Category {
        slug: "garden",
        keywords: &[
            "GARDEN",
            "PLANT",
            "PLANTER",
            "FLOWER",
            "FLOWERS",
            "POT",
            "POTS",
            "BIRD",
            "BIRDHOUSE",
            "WATERING",
            "SEED",
            "SEEDS",
            "HERB",
            "GNOME",
            "FEEDER",
            "TROWEL",
            "GLOVES",
            "OUTDOOR",
            "BIRDCAGE",
            "HEN",
            "ROSE",
            "ROSES",
            "DAISY",
            "BUTTERFLY",
        ],
    },
    Category {
        slug: "jewellery",
        keywords: &[
            "NECKLACE",
            "NECKLACE.",
            "EARRINGS",
            "BRACELET",
            "RING",
            "RINGS",
            "BROOCH",
            "HAIR",
            "HAIRCLIP",
            "HAIRCLIPS",
            "BANGLE",
            "PENDANT",
            "CHARM",
            "BEADS",
            "BEADED",
            "DIAMANTE",
            "JEWEL",
            "JEWELLERY",
            "HAIRBAND",
            "SLIDE",
            "COMB",
            "BOUDICCA",
            "CRYSTAL",
            "GEM",
        ],
    },
    Category {
        slug: "storage",
        keywords: &[
            "BOX",
            "BOXES",
            "BASKET",
            "BASKETS",
            "TIN",
            "TINS",
            "STORAGE",
            "DRAWER",
            "DRAWERS",
            "CRATE",
            "CABINET",
            "CASE",
            "HOLDER",
            "SHELF",
            "RACK",
            "CHEST",
            "TRUNK",
            "HOOK",
            "HOOKS",
            "HANGER",
            "HANGERS",
            "PEG",
            "PEGS",
            "TIDY",
            "ORGANISER",
        ],
    },
    Category {
        slug: "bathroom",
        keywords: &[
            "BATH",
            "BATHROOM",
            "SOAP",
            "TOWEL",
            "TOILET",
            "SPONGE",
            "WASH",
            "FLANNEL",
            "SHOWER",
            "TOOTHBRUSH",
            "MIRROR",
            "MAKE UP",
            "COSMETIC",
            "LIP",
            "NAIL",
            "BEAUTY",
            "HAND WARMER",
        ],
    },
    Category {
        slug: "textiles",
        keywords: &[
            "CUSHION",
            "CUSHIONS",
            "BLANKET",
            "THROW",
            "HOT WATER BOTTLE",
            "QUILT",
            "CURTAIN",
            "DOORMAT",
            "MAT",
            "RUG",
            "FABRIC",
            "FELT",
            "KNITTED",
            "UMBRELLA",
            "SCARF",
            "HAT",
            "GLOVE",
            "SOCKS",
            "SLIPPERS",
            "PONCHO",
            "COVER",
            "TEA COSY",
            "TABLECLOTH",
            "PATCH",
            "CROCHET",
            "CLOTH",
            "COTTON",
            "LACE",
        ],
    },
    Category {
        slug: "wall-decor",
        keywords: &[
            "SIGN",
            "PLAQUE",
            "FRAME",
            "FRAMES",
            "CLOCK",
            "CLOCKS",
            "WALL",
            "POSTER",
            "PRINT",
            "PICTURE",
            "ART",
            "METAL SIGN",
            "CHALKBOARD",
            "BLACKBOARD",
            "WREATH",
            "GARLAND",
            "BANNER",
            "CHIME",
            "CHIMES",
            "MOBILE",
        ],
    },
    Category {
        slug: "home-decor",
        keywords: &[
            "HEART",
            "HEARTS",
            "DECORATION",
            "ORNAMENT",
            "VASE",
            "DOORSTOP",
            "DOOR",
            "KNOB",
            "KNOBS",
            "HANGING",
            "FEATHER",
            "CHANDELIER",
            "FIGURE",
            "STATUE",
            "ANGEL",
            "HOME",
            "SWEET",
            "LOVE",
            "DECORATIVE",
            "PHOTO",
            "ENAMEL",
            "PAPERWEIGHT",
            "GLOBE",
            "DOVE",
            "CHAIR",
            "TABLE",
            "STOOL",
            "BIN",
            "WICKER",
            "ZINC",
            "ANTIQUE",
            "VINTAGE",
            "RETROSPOT",
            "DOILY",
            "POMPOM",
            "LARGE",
            "SMALL",
        ],
    },
];

/// The category slug for a product title.
pub fn categorize(title: &str) -> &'static str {
    let upper = title.to_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let padded = format!(" {} ", words.join(" "));
    for category in CATEGORIES {
        for keyword in category.keywords {
            let hit = if keyword.contains(' ') {
                padded.contains(&format!(" {keyword} "))
            } else {
                words.contains(keyword)
            };
            if hit {
                return category.slug;
            }
        }
    }
    OTHER
}

/// Every category slug, "other" last.
pub fn all_slugs() -> impl Iterator<Item = &'static str> {
    CATEGORIES
        .iter()
        .map(|c| c.slug)
        .chain(std::iter::once(OTHER))
}

pub fn is_known(slug: &str) -> bool {
    all_slugs().any(|s| s == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_rule_wins() {
        assert_eq!(categorize("WHITE HANGING HEART T-LIGHT HOLDER"), "lighting");
        assert_eq!(categorize("PAPER CHAIN KIT 50'S CHRISTMAS"), "christmas");
        assert_eq!(categorize("JUMBO BAG RED RETROSPOT"), "bags");
    }

    #[test]
    fn keywords_match_whole_words_only() {
        assert_ne!(categorize("TINSEL GARLAND"), "storage");
        assert_eq!(categorize("ZZZ QQQ"), OTHER);
    }

    #[test]
    fn slugs_are_unique() {
        let mut slugs: Vec<_> = all_slugs().collect();
        let n = slugs.len();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), n);
        assert!(n >= 16, "at least 15 categories plus other");
    }
}
