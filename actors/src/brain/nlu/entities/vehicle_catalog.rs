//! The vehicles customers mention most, as lookup tables.

use super::vehicle::VehicleType;

/// A model: the keys customers type (lowercase, hyphens removed), its make,
/// canonical name and body type. `needs_context` marks models that are also
/// common words ("edge", "pilot", "escape"): they count only next to a make
/// or a year.
pub(super) struct Model {
    pub keys: &'static [&'static str],
    pub make: &'static str,
    pub name: &'static str,
    pub kind: VehicleType,
    pub needs_context: bool,
}

/// A make: keys, canonical name, and whether the word is also common.
pub(super) struct Make {
    pub keys: &'static [&'static str],
    pub name: &'static str,
    pub needs_context: bool,
}

const fn m(
    keys: &'static [&'static str],
    make: &'static str,
    name: &'static str,
    kind: VehicleType,
) -> Model {
    Model {
        keys,
        make,
        name,
        kind,
        needs_context: false,
    }
}

const fn c(
    keys: &'static [&'static str],
    make: &'static str,
    name: &'static str,
    kind: VehicleType,
) -> Model {
    Model {
        keys,
        make,
        name,
        kind,
        needs_context: true,
    }
}

use VehicleType::{Coupe, Sedan, Suv, Truck, Van};

pub(super) const MODELS: &[Model] = &[
    m(&["f150", "f 150"], "Ford", "F-150", Truck),
    m(&["f250", "f 250"], "Ford", "F-250", Truck),
    m(&["f350", "f 350"], "Ford", "F-350", Truck),
    c(&["ranger"], "Ford", "Ranger", Truck),
    m(&["explorer"], "Ford", "Explorer", Suv),
    c(&["escape"], "Ford", "Escape", Suv),
    m(&["expedition"], "Ford", "Expedition", Suv),
    m(&["mustang"], "Ford", "Mustang", Coupe),
    m(&["bronco"], "Ford", "Bronco", Suv),
    c(&["edge"], "Ford", "Edge", Suv),
    c(&["fusion"], "Ford", "Fusion", Sedan),
    c(&["focus"], "Ford", "Focus", Sedan),
    m(&["maverick"], "Ford", "Maverick", Truck),
    c(&["transit"], "Ford", "Transit", Van),
    m(&["silverado"], "Chevrolet", "Silverado", Truck),
    m(&["tahoe"], "Chevrolet", "Tahoe", Suv),
    m(&["suburban"], "Chevrolet", "Suburban", Suv),
    m(&["equinox"], "Chevrolet", "Equinox", Suv),
    m(&["traverse"], "Chevrolet", "Traverse", Suv),
    m(&["malibu"], "Chevrolet", "Malibu", Sedan),
    c(&["colorado"], "Chevrolet", "Colorado", Truck),
    m(&["corvette", "vette"], "Chevrolet", "Corvette", Coupe),
    m(&["camaro"], "Chevrolet", "Camaro", Coupe),
    m(&["camry"], "Toyota", "Camry", Sedan),
    m(&["corolla"], "Toyota", "Corolla", Sedan),
    m(&["rav4", "rav 4"], "Toyota", "RAV4", Suv),
    m(&["highlander"], "Toyota", "Highlander", Suv),
    m(&["tacoma"], "Toyota", "Tacoma", Truck),
    m(&["tundra"], "Toyota", "Tundra", Truck),
    m(
        &["4runner", "4 runner", "forerunner"],
        "Toyota",
        "4Runner",
        Suv,
    ),
    m(&["prius"], "Toyota", "Prius", Sedan),
    m(&["sienna"], "Toyota", "Sienna", Van),
    m(&["civic"], "Honda", "Civic", Sedan),
    c(&["accord"], "Honda", "Accord", Sedan),
    m(&["crv", "cr v"], "Honda", "CR-V", Suv),
    m(&["hrv", "hr v"], "Honda", "HR-V", Suv),
    c(&["pilot"], "Honda", "Pilot", Suv),
    m(&["odyssey"], "Honda", "Odyssey", Van),
    m(&["model 3", "model3"], "Tesla", "Model 3", Sedan),
    m(&["model y", "modely"], "Tesla", "Model Y", Suv),
    m(&["model s"], "Tesla", "Model S", Sedan),
    m(&["model x", "modelx"], "Tesla", "Model X", Suv),
    m(&["cybertruck"], "Tesla", "Cybertruck", Truck),
    m(&["wrangler"], "Jeep", "Wrangler", Suv),
    m(&["grand cherokee"], "Jeep", "Grand Cherokee", Suv),
    m(&["cherokee"], "Jeep", "Cherokee", Suv),
    m(&["gladiator"], "Jeep", "Gladiator", Truck),
    c(&["compass"], "Jeep", "Compass", Suv),
    m(&["ram 1500", "ram1500"], "Ram", "1500", Truck),
    m(&["ram 2500", "ram2500"], "Ram", "2500", Truck),
    c(&["sierra"], "GMC", "Sierra", Truck),
    m(&["yukon"], "GMC", "Yukon", Suv),
    m(&["acadia"], "GMC", "Acadia", Suv),
    m(&["altima"], "Nissan", "Altima", Sedan),
    c(&["rogue"], "Nissan", "Rogue", Suv),
    m(&["sentra"], "Nissan", "Sentra", Sedan),
    c(&["frontier"], "Nissan", "Frontier", Truck),
    m(&["pathfinder"], "Nissan", "Pathfinder", Suv),
    m(&["elantra"], "Hyundai", "Elantra", Sedan),
    m(&["sonata"], "Hyundai", "Sonata", Sedan),
    m(&["tucson"], "Hyundai", "Tucson", Suv),
    m(&["santa fe", "santafe"], "Hyundai", "Santa Fe", Suv),
    m(&["sorento"], "Kia", "Sorento", Suv),
    m(&["telluride"], "Kia", "Telluride", Suv),
    m(&["sportage"], "Kia", "Sportage", Suv),
    m(&["outback"], "Subaru", "Outback", Suv),
    m(&["forester"], "Subaru", "Forester", Suv),
    m(&["crosstrek"], "Subaru", "Crosstrek", Suv),
    m(&["durango"], "Dodge", "Durango", Suv),
    c(&["charger"], "Dodge", "Charger", Sedan),
    c(&["challenger"], "Dodge", "Challenger", Coupe),
    m(&["grand caravan", "caravan"], "Dodge", "Grand Caravan", Van),
    m(&["pacifica"], "Chrysler", "Pacifica", Van),
    m(&["escalade"], "Cadillac", "Escalade", Suv),
    m(&["navigator"], "Lincoln", "Navigator", Suv),
    m(
        &["range rover", "rangerover"],
        "Land Rover",
        "Range Rover",
        Suv,
    ),
];

pub(super) const MAKES: &[Make] = &[
    Make {
        keys: &["ford"],
        name: "Ford",
        needs_context: false,
    },
    Make {
        keys: &["chevy", "chevrolet", "chev"],
        name: "Chevrolet",
        needs_context: false,
    },
    Make {
        keys: &["toyota"],
        name: "Toyota",
        needs_context: false,
    },
    Make {
        keys: &["honda"],
        name: "Honda",
        needs_context: false,
    },
    Make {
        keys: &["tesla"],
        name: "Tesla",
        needs_context: false,
    },
    Make {
        keys: &["jeep"],
        name: "Jeep",
        needs_context: false,
    },
    Make {
        keys: &["ram"],
        name: "Ram",
        needs_context: true,
    },
    Make {
        keys: &["gmc"],
        name: "GMC",
        needs_context: false,
    },
    Make {
        keys: &["dodge"],
        name: "Dodge",
        needs_context: true,
    },
    Make {
        keys: &["nissan"],
        name: "Nissan",
        needs_context: false,
    },
    Make {
        keys: &["hyundai"],
        name: "Hyundai",
        needs_context: false,
    },
    Make {
        keys: &["kia"],
        name: "Kia",
        needs_context: false,
    },
    Make {
        keys: &["subaru"],
        name: "Subaru",
        needs_context: false,
    },
    Make {
        keys: &["bmw", "beemer"],
        name: "BMW",
        needs_context: false,
    },
    Make {
        keys: &["mercedes", "benz", "mercedes benz"],
        name: "Mercedes-Benz",
        needs_context: false,
    },
    Make {
        keys: &["audi"],
        name: "Audi",
        needs_context: false,
    },
    Make {
        keys: &["lexus"],
        name: "Lexus",
        needs_context: false,
    },
    Make {
        keys: &["mazda"],
        name: "Mazda",
        needs_context: false,
    },
    Make {
        keys: &["volkswagen", "vw"],
        name: "Volkswagen",
        needs_context: false,
    },
    Make {
        keys: &["volvo"],
        name: "Volvo",
        needs_context: false,
    },
    Make {
        keys: &["cadillac", "caddy"],
        name: "Cadillac",
        needs_context: false,
    },
    Make {
        keys: &["buick"],
        name: "Buick",
        needs_context: false,
    },
    Make {
        keys: &["acura"],
        name: "Acura",
        needs_context: false,
    },
    Make {
        keys: &["infiniti"],
        name: "Infiniti",
        needs_context: false,
    },
    Make {
        keys: &["lincoln"],
        name: "Lincoln",
        needs_context: true,
    },
    Make {
        keys: &["chrysler"],
        name: "Chrysler",
        needs_context: false,
    },
    Make {
        keys: &["porsche"],
        name: "Porsche",
        needs_context: false,
    },
    Make {
        keys: &["land rover", "landrover"],
        name: "Land Rover",
        needs_context: false,
    },
    Make {
        keys: &["mitsubishi"],
        name: "Mitsubishi",
        needs_context: false,
    },
    Make {
        keys: &["mini"],
        name: "MINI",
        needs_context: true,
    },
    Make {
        keys: &["genesis"],
        name: "Genesis",
        needs_context: true,
    },
    Make {
        keys: &["rivian"],
        name: "Rivian",
        needs_context: false,
    },
];

/// Body-type words.
pub(super) fn type_word(word: &str) -> Option<VehicleType> {
    let kind = match word {
        "sedan" | "sedans" | "hatchback" => VehicleType::Sedan,
        "coupe" | "convertible" | "sports car" => VehicleType::Coupe,
        "suv" | "suvs" | "crossover" | "4x4" => VehicleType::Suv,
        "truck" | "trucks" | "pickup" | "pick up" => VehicleType::Truck,
        "van" | "minivan" | "vans" => VehicleType::Van,
        "car" | "cars" => VehicleType::Car,
        "motorcycle" | "motorbike" => VehicleType::Motorcycle,
        "boat" | "boats" => VehicleType::Boat,
        "rv" | "camper" | "motorhome" | "motor home" => VehicleType::Rv,
        _ => return None,
    };
    Some(kind)
}

/// Colours people describe their vehicle with.
pub(super) const COLORS: &[&str] = &[
    "black", "white", "silver", "gray", "grey", "red", "blue", "green", "yellow", "orange",
    "brown", "tan", "gold", "beige", "maroon", "purple",
];
