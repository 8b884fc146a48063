//! Pets for groomers: kind, breed, size, weight ("my 60 lb golden",
//! "small dog", "two cats").

use serde::{Deserialize, Serialize};

use crate::brain::nlu::fuzzy::similarity;
use crate::brain::nlu::normalize::Normalized;
use crate::brain::nlu::numbers::parse_amount;

/// Dog or cat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PetKind {
    /// A dog (also implied by any dog breed).
    Dog,
    /// A cat.
    Cat,
}

/// Groomers price by size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PetSize {
    /// Under 25 lb, toy breeds.
    Small,
    /// 25–49 lb.
    Medium,
    /// 50–89 lb.
    Large,
    /// 90 lb and up, giant breeds.
    ExtraLarge,
}

/// A pet the customer described.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pet {
    /// Dog or cat.
    pub kind: Option<PetKind>,
    /// Canonical breed name.
    pub breed: Option<String>,
    /// Stated size, else from the weight, else the breed's usual size.
    pub size: Option<PetSize>,
    /// Stated weight in pounds.
    pub weight_lbs: Option<u32>,
}

/// (keys, canonical name, usual size)
const BREEDS: &[(&[&str], &str, PetSize)] = &[
    (
        &["labrador", "lab", "labrador retriever"],
        "Labrador Retriever",
        PetSize::Large,
    ),
    (
        &["golden retriever", "golden"],
        "Golden Retriever",
        PetSize::Large,
    ),
    (
        &["german shepherd", "gsd"],
        "German Shepherd",
        PetSize::Large,
    ),
    (
        &["goldendoodle", "doodle", "golden doodle"],
        "Goldendoodle",
        PetSize::Large,
    ),
    (&["labradoodle"], "Labradoodle", PetSize::Large),
    (&["poodle", "standard poodle"], "Poodle", PetSize::Medium),
    (&["toy poodle", "mini poodle"], "Toy Poodle", PetSize::Small),
    (
        &["french bulldog", "frenchie"],
        "French Bulldog",
        PetSize::Small,
    ),
    (&["bulldog", "english bulldog"], "Bulldog", PetSize::Medium),
    (&["beagle"], "Beagle", PetSize::Medium),
    (&["rottweiler", "rottie"], "Rottweiler", PetSize::ExtraLarge),
    (
        &["yorkie", "yorkshire terrier"],
        "Yorkshire Terrier",
        PetSize::Small,
    ),
    (
        &["dachshund", "doxie", "wiener dog"],
        "Dachshund",
        PetSize::Small,
    ),
    (&["boxer"], "Boxer", PetSize::Large),
    (
        &["husky", "siberian husky"],
        "Siberian Husky",
        PetSize::Large,
    ),
    (
        &["shih tzu", "shihtzu", "shitzu"],
        "Shih Tzu",
        PetSize::Small,
    ),
    (&["chihuahua"], "Chihuahua", PetSize::Small),
    (&["pomeranian", "pom"], "Pomeranian", PetSize::Small),
    (&["maltese"], "Maltese", PetSize::Small),
    (&["schnauzer"], "Schnauzer", PetSize::Medium),
    (&["corgi"], "Corgi", PetSize::Medium),
    (
        &["cavalier", "cavalier king charles"],
        "Cavalier King Charles Spaniel",
        PetSize::Small,
    ),
    (&["great dane"], "Great Dane", PetSize::ExtraLarge),
    (
        &["pitbull", "pit bull", "pittie"],
        "Pit Bull",
        PetSize::Large,
    ),
    (
        &["australian shepherd", "aussie"],
        "Australian Shepherd",
        PetSize::Large,
    ),
    (&["border collie"], "Border Collie", PetSize::Medium),
    (
        &["bernese", "bernese mountain dog"],
        "Bernese Mountain Dog",
        PetSize::ExtraLarge,
    ),
    (
        &["cocker spaniel", "cocker"],
        "Cocker Spaniel",
        PetSize::Medium,
    ),
    (&["havanese"], "Havanese", PetSize::Small),
    (&["bichon", "bichon frise"], "Bichon Frise", PetSize::Small),
    (
        &["newfoundland", "newfie"],
        "Newfoundland",
        PetSize::ExtraLarge,
    ),
    (&["maine coon"], "Maine Coon", PetSize::Medium),
    (&["persian"], "Persian", PetSize::Small),
];

const CAT_BREEDS: &[&str] = &["Maine Coon", "Persian"];

/// The pet described in `text`, when there is one.
pub fn pet(text: &Normalized) -> Option<Pet> {
    let words = text.words();
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let mut pet = Pet::default();
    let mut size_word = None;
    let mut breed_size = None;
    let mut pet_at = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = at(i);
        let pair = format!("{} {}", w, at(i + 1));
        if let Some((name, size, used)) = breed(&pair, 2).or_else(|| breed(w, 1)) {
            pet.breed = Some(name.to_owned());
            breed_size = Some(size);
            pet.kind = Some(if CAT_BREEDS.contains(&name) {
                PetKind::Cat
            } else {
                PetKind::Dog
            });
            pet_at.push(i);
            i += used;
            continue;
        }
        match w {
            "dog" | "dogs" | "puppy" | "pup" | "puppies" | "doggo" | "doggy" => {
                pet.kind = pet.kind.or(Some(PetKind::Dog));
                pet_at.push(i);
            }
            "cat" | "cats" | "kitten" | "kitty" => {
                pet.kind = pet.kind.or(Some(PetKind::Cat));
                pet_at.push(i);
            }
            _ => {}
        }
        if let Some(size) = size_of(w) {
            size_word = Some((size, i));
        }
        if let Some(lbs) = weight(w, at(i + 1)) {
            pet.weight_lbs = Some(lbs);
        }
        i += 1;
    }
    // "shes about 12 lbs": a weight said of him or her is the pet's.
    let weighed = pet.weight_lbs.is_some()
        && words.iter().any(|w| {
            matches!(
                *w,
                "he" | "she" | "hes" | "shes" | "his" | "her" | "weighs" | "weight"
            )
        });
    if pet.kind.is_none() && pet.breed.is_none() && !weighed {
        return None;
    }
    let stated = size_word
        .filter(|(_, at)| pet_at.iter().any(|p| p > at && p - at <= 2))
        .map(|(size, _)| size);
    pet.size = stated
        .or(pet.weight_lbs.map(size_from_weight))
        .or(breed_size);
    Some(pet)
}

fn breed(key: &str, used: usize) -> Option<(&'static str, PetSize, usize)> {
    let exact = BREEDS.iter().find(|(keys, _, _)| keys.contains(&key));
    let fuzzy = || {
        BREEDS.iter().find(|(keys, _, _)| {
            keys.iter()
                .any(|k| k.len() >= 6 && !k.contains(' ') && similarity(key, k).is_some())
        })
    };
    let found = exact.or_else(|| if used == 1 { fuzzy() } else { None })?;
    Some((found.1, found.2, used))
}

fn size_of(word: &str) -> Option<PetSize> {
    match word {
        "small" | "tiny" | "toy" | "little" | "mini" => Some(PetSize::Small),
        "medium" => Some(PetSize::Medium),
        "large" | "big" => Some(PetSize::Large),
        "giant" | "huge" | "xl" => Some(PetSize::ExtraLarge),
        _ => None,
    }
}

fn weight(word: &str, next: &str) -> Option<u32> {
    let (number, unit) = match word.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) if i > 0 => word.split_at(i),
        _ => (word, next),
    };
    if !matches!(unit, "lb" | "lbs" | "pound" | "pounds") {
        return None;
    }
    let amount = parse_amount(number)?;
    (1.0..=300.0)
        .contains(&amount)
        .then_some(amount.round() as u32)
}

fn size_from_weight(lbs: u32) -> PetSize {
    match lbs {
        0..=24 => PetSize::Small,
        25..=49 => PetSize::Medium,
        50..=89 => PetSize::Large,
        _ => PetSize::ExtraLarge,
    }
}
