"""Where customers live: real US cities (mostly California, like IBM's extended
Telco data) with a few real ZIP codes each.

City centres are real coordinates; each ZIP's centroid, population and density
are synthetic but *fixed* (derived from the ZIP code itself, not from the run's
seed), so the reference table ``zip_population`` tells the same story whatever
the seed. Customers are scattered a little around their ZIP's centroid.

Churners lean towards the cities marked with competition > 0 (busy metro
markets), so a churn map has something true to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from churnstack.generate._text import fixed, integers, join_columns, pick

LOCATION_HEADER = ("customer_id", "zip_code", "city", "state", "lat", "lng")
ZIP_HEADER = ("zip_code", "population", "density")


@dataclass(frozen=True)
class City:
    name: str
    state: str
    lat: float
    lng: float
    weight: float  # relative share of customers
    density: float  # typical people per square mile
    competition: float  # extra relative pull on churners (0 = none)
    zips: tuple[str, ...]


# city | state | lat | lng | weight | density (people/sq mi) | competition | ZIP codes
_CITY_TABLE = """
Los Angeles|CA|34.05223|-118.24368|14|8500|1.0|90001 90012 90024 90026 90034 90045 90066
San Diego|CA|32.71574|-117.16108|8|4300|0.6|92101 92103 92109 92115 92122
San Francisco|CA|37.77493|-122.41942|6|18500|1.0|94102 94103 94110 94117 94122
San Jose|CA|37.33821|-121.88633|6|5700|0.8|95112 95123 95125 95128
Sacramento|CA|38.58157|-121.49440|5|5200|0.2|95814 95816 95822 95833
Fresno|CA|36.73779|-119.78712|4|4500|0.0|93701 93704 93710 93722
Oakland|CA|37.80437|-122.27080|4|7800|0.8|94601 94606 94610 94611
Long Beach|CA|33.77005|-118.19374|4|9200|0.5|90802 90804 90806 90815
Bakersfield|CA|35.37329|-119.01871|3|2600|0.0|93301 93304 93309 93312
Anaheim|CA|33.83529|-117.91450|3|6900|0.4|92801 92804 92805 92806
Santa Ana|CA|33.74557|-117.86783|3|11500|0.4|92701 92703 92704 92707
Riverside|CA|33.98060|-117.37549|3|3900|0.1|92501 92503 92504 92506
Irvine|CA|33.68457|-117.82650|3|4300|0.6|92602 92604 92612 92618
Stockton|CA|37.95770|-121.29078|3|5000|0.0|95202 95204 95207 95210
Modesto|CA|37.63910|-120.99688|2|4800|0.0|95350 95351 95355 95356
Pasadena|CA|34.14778|-118.14452|2|6100|0.5|91101 91103 91104 91106
Glendale|CA|34.14251|-118.25508|2|6700|0.5|91201 91205 91206
Torrance|CA|33.83585|-118.34063|2|7100|0.4|90501 90503 90505
Huntington Beach|CA|33.65952|-117.99884|2|7000|0.3|92646 92647 92648 92649
Oxnard|CA|34.19750|-119.17705|2|7500|0.0|93030 93033 93035 93036
Santa Barbara|CA|34.42083|-119.69819|1.5|4500|0.2|93101 93103 93105 93109
Berkeley|CA|37.87159|-122.27275|1.5|11000|0.7|94702 94703 94704 94709
Palo Alto|CA|37.44188|-122.14302|1.5|2800|0.9|94301 94303 94306
Santa Rosa|CA|38.44047|-122.71443|1.5|4300|0.0|95401 95403 95404 95405
Salinas|CA|36.67774|-121.65550|1.5|6800|0.0|93901 93905 93906
Redding|CA|40.58654|-122.39168|1|1500|0.0|96001 96002 96003
Chico|CA|39.72849|-121.83748|1|3000|0.0|95926 95928
Eureka|CA|40.80207|-124.16367|0.7|2900|0.0|95501 95503
Portland|OR|45.51523|-122.67838|2|4900|0.5|97201 97205 97209 97214
Seattle|WA|47.60621|-122.33207|2|9000|0.7|98101 98103 98105 98115
Reno|NV|39.52963|-119.81380|1|2400|0.0|89501 89502 89509 89521
Las Vegas|NV|36.16994|-115.13983|2|4500|0.3|89101 89109 89117 89123
Phoenix|AZ|33.44838|-112.07404|2|3100|0.2|85003 85004 85016 85018
Boston|MA|42.36008|-71.05888|1|13900|0.8|02108 02115 02116 02134
Newark|NJ|40.73566|-74.17237|0.7|11700|0.3|07102 07104 07105 07107
Hartford|CT|41.76580|-72.67337|0.6|7000|0.0|06103 06105 06106
"""


def _parse_cities(table: str) -> tuple[City, ...]:
    cities = []
    for row in table.strip().splitlines():
        name, state, lat, lng, weight, density, competition, zips = row.split("|")
        cities.append(
            City(
                name,
                state,
                float(lat),
                float(lng),
                float(weight),
                float(density),
                float(competition),
                tuple(zips.split()),
            )
        )
    return tuple(cities)


CITIES: tuple[City, ...] = _parse_cities(_CITY_TABLE)


@dataclass(frozen=True)
class ZipTable:
    """Every known ZIP code with its city and fixed synthetic facts."""

    zip_code: np.ndarray  # str
    city: np.ndarray  # int index into CITIES
    lat: np.ndarray
    lng: np.ndarray
    population: np.ndarray  # int
    density: np.ndarray  # float, people per square mile


@cache
def zip_table() -> ZipTable:
    """The fixed ZIP reference data (built on first use; ~140 rows)."""
    codes, city_index, lat, lng, population, density = [], [], [], [], [], []
    for ci, city in enumerate(CITIES):
        for code in city.zips:
            # Seeded by the ZIP code itself: the same ZIP always has the same facts.
            zr = np.random.default_rng(int(code))
            codes.append(code)
            city_index.append(ci)
            lat.append(city.lat + zr.uniform(-0.035, 0.035))
            lng.append(city.lng + zr.uniform(-0.045, 0.045))
            population.append(int(zr.integers(12_000, 62_000)))
            density.append(round(city.density * float(zr.lognormal(0.0, 0.35)), 1))
    return ZipTable(
        zip_code=np.array(codes),
        city=np.array(city_index, dtype=np.int64),
        lat=np.array(lat),
        lng=np.array(lng),
        population=np.array(population, dtype=np.int64),
        density=np.array(density),
    )


@dataclass(frozen=True)
class Locations:
    zip_index: np.ndarray  # index into zip_table() rows, one per customer
    lat: np.ndarray
    lng: np.ndarray


def assign_locations(rng: np.random.Generator, churn: np.ndarray) -> Locations:
    """One location per customer; churners lean to competitive metro markets."""
    zips = zip_table()
    weight = np.array([c.weight for c in CITIES])
    competition = np.array([c.competition for c in CITIES])
    n = len(churn)
    p_stay = weight / weight.sum()
    p_churn = weight * (1.0 + competition)
    p_churn /= p_churn.sum()
    u = rng.random(n)
    city = np.where(
        churn,
        np.searchsorted(np.cumsum(p_churn), u, side="right"),
        np.searchsorted(np.cumsum(p_stay), u, side="right"),
    )
    city = np.minimum(city, len(CITIES) - 1)  # guard against cumsum rounding below 1
    # A uniformly chosen ZIP within the city: ZIP rows are grouped by city.
    first = np.searchsorted(zips.city, np.arange(len(CITIES)))
    count = np.bincount(zips.city, minlength=len(CITIES))
    zip_index = first[city] + (rng.random(n) * count[city]).astype(np.int64)
    lat = zips.lat[zip_index] + rng.normal(0.0, 0.008, n)
    lng = zips.lng[zip_index] + rng.normal(0.0, 0.010, n)
    return Locations(zip_index=zip_index, lat=lat, lng=lng)


def location_lines(customer_id: pl.Series, loc: Locations) -> pl.Series:
    zips = zip_table()
    city = zips.city[loc.zip_index]
    return join_columns(
        [
            customer_id,
            pick(list(zips.zip_code), loc.zip_index),
            pick([c.name for c in CITIES], city),
            pick([c.state for c in CITIES], city),
            fixed(loc.lat, 5),
            fixed(loc.lng, 5),
        ]
    )


def zip_population_lines(loc: Locations) -> pl.Series:
    """One line per ZIP code used by at least one customer, sorted by ZIP code."""
    zips = zip_table()
    used = np.unique(loc.zip_index)
    used = used[np.argsort(zips.zip_code[used], kind="stable")]
    return join_columns(
        [
            pl.Series(zips.zip_code[used], dtype=pl.String),
            integers(zips.population[used]),
            fixed(zips.density[used], 1),
        ]
    )
