//! The US ZIP-code centroid table (`data/us-zip-centroids.tsv`, source and
//! licence in `data/VENDORED.md`), parsed once on first use: a ZIP to its
//! place, and a city name to the places of that name (one per state).

use std::collections::HashMap;
use std::sync::LazyLock;

/// The vendored table: `zip \t latitude \t longitude \t state \t city`.
const TABLE: &str = include_str!("data/us-zip-centroids.tsv");

/// A point on the map, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// The geographic center of the contiguous US (near Lebanon, KS): the
/// tie-breaker when only a place's name matters.
pub const US_CENTER: Point = Point {
    lat: 39.833,
    lon: -98.583,
};

/// Mean Earth radius in miles.
const EARTH_RADIUS_MILES: f64 = 3958.8;

impl Point {
    /// Great-circle (haversine) distance in miles: as the crow flies.
    pub fn miles_to(self, other: Point) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_MILES * h.sqrt().min(1.0).asin()
    }
}

/// A place the table knows: a ZIP's centroid, or a city's (the mean of its ZIPs).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Where.
    pub point: Point,
    /// Two-letter state code.
    pub state: &'static str,
    /// City name as the table spells it.
    pub city: &'static str,
}

impl Place {
    /// "Tulsa, OK".
    pub fn label(&self) -> String {
        format!("{}, {}", self.city, self.state)
    }
}

/// The parsed table.
struct Table {
    by_zip: HashMap<&'static str, Place>,
    /// Lower-case city name → one place per state.
    by_city: HashMap<String, Vec<Place>>,
}

static ZIPS: LazyLock<Table> = LazyLock::new(parse);

fn parse() -> Table {
    let mut by_zip = HashMap::with_capacity(43_000);
    let mut sums: HashMap<(String, &'static str), (f64, f64, u32, &'static str)> = HashMap::new();
    for line in TABLE.lines() {
        let mut cols = line.split('\t');
        let (Some(zip), Some(lat), Some(lon), Some(state), Some(city)) = (
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
        ) else {
            continue;
        };
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
            continue;
        };
        let point = Point { lat, lon };
        by_zip.insert(zip, Place { point, state, city });
        let sum = sums
            .entry((city.to_lowercase(), state))
            .or_insert((0.0, 0.0, 0, city));
        sum.0 += lat;
        sum.1 += lon;
        sum.2 += 1;
    }
    let mut by_city: HashMap<String, Vec<Place>> = HashMap::new();
    for ((name, state), (lat, lon, n, city)) in sums {
        let n = f64::from(n);
        by_city.entry(name).or_default().push(Place {
            point: Point {
                lat: lat / n,
                lon: lon / n,
            },
            state,
            city,
        });
    }
    for places in by_city.values_mut() {
        places.sort_by(|a, b| a.state.cmp(b.state));
    }
    Table { by_zip, by_city }
}

/// The place of a five-digit ZIP code, if it is a US ZIP the table knows.
pub fn by_zip(zip: &str) -> Option<&'static Place> {
    ZIPS.by_zip.get(zip)
}

/// The places called `city` (any case), one per state.
pub fn by_city(city: &str) -> &'static [Place] {
    ZIPS.by_city
        .get(&city.to_lowercase())
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Whether `code` (any case) is a US state or territory code in the table.
pub fn is_state(code: &str) -> bool {
    code.len() == 2 && STATES.contains(&code.to_ascii_uppercase().as_str())
}

/// The state and territory codes the table uses.
const STATES: &[&str] = &[
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "FM", "GA", "GU", "HI", "IA",
    "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MH", "MI", "MN", "MO", "MP", "MS", "MT",
    "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "PW", "RI", "SC",
    "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY", "AA", "AE", "AP",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_and_cities_are_found() {
        let tulsa = by_zip("74135").expect("a Tulsa ZIP");
        assert_eq!((tulsa.city, tulsa.state), ("Tulsa", "OK"));
        assert!(by_zip("00000").is_none());
        let dallas = by_city("dallas");
        assert!(dallas.iter().any(|p| p.state == "TX"));
        assert!(by_city("Broken Arrow").iter().any(|p| p.state == "OK"));
        assert!(by_city("no such town anywhere").is_empty());
    }

    #[test]
    fn distances_are_miles_as_the_crow_flies() {
        let tulsa = by_city("tulsa")[0].point;
        let okc = by_city("oklahoma city")[0].point;
        let miles = tulsa.miles_to(okc);
        // Tulsa to Oklahoma City is about 100 miles in a straight line.
        assert!((90.0..115.0).contains(&miles), "{miles}");
        assert!(tulsa.miles_to(tulsa) < 0.001);
    }
}
