"""~100 English news paragraphs for the translation benchmark, our own text.

Sentences are written by hand as templates in the register of the
ministry's portal and filled from fixed lists with a seeded generator, so
every run gets the same paragraphs and no sentence repeats (a repeated
sentence would let the batching engine de-duplicate work the one-call-
per-paragraph path cannot).
"""
from __future__ import annotations

import random

PLACES = [
    "Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho", "Quang Ninh", "Nghe An",
    "Thanh Hoa", "Lao Cai", "Dak Lak", "Khanh Hoa", "Binh Duong", "Dong Nai", "Long An",
    "Kien Giang", "Thua Thien Hue", "Lang Son", "Ha Giang", "Gia Lai", "Bac Ninh",
]
RANKS = ["Colonel", "Lieutenant Colonel", "Major General", "Senior Lieutenant General", "Major", "Captain"]
NAMES = [
    "Nguyen Van Hai", "Tran Minh Tam", "Le Thi Hoa", "Pham Quoc Bao", "Vo Thanh Son", "Dang Thu Trang",
    "Bui Duc Long", "Hoang Anh Tuan", "Do Manh Cuong", "Ngo Thi Lan", "Duong Van Phuc", "Ly Hoang Nam",
]
CRIMES = [
    "drug trafficking", "online fraud", "illegal gambling", "smuggling of cigarettes", "black credit lending",
    "illegal logging", "counterfeit goods", "human trafficking", "cyber attacks on state agencies",
    "illegal racing", "money laundering", "wildlife trafficking",
]
UNITS = [
    "Criminal Police Department", "Traffic Police Department", "Department of Cyber Security and High-Tech "
    "Crime Prevention", "Drug Crime Investigation Police Department", "Fire Prevention and Rescue Police "
    "Department", "Economic Police Department", "Immigration Department", "Mobile Police Command",
]
EVENTS = [
    "a conference to review the work of the first six months", "a ceremony to launch the summer patrol campaign",
    "a training course on digital forensics", "a meeting with the provincial People's Committee",
    "a seminar on preventing crime among young people", "a drill on rescuing people from high-rise fires",
    "a working session with the delegation of the Lao Ministry of Public Security",
    "the movement All people protect national security",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]

OPENERS = [
    "On {month} {day}, the {place} Provincial Police Department held {event}.",
    "The {unit} has coordinated with the {place} police to dismantle a ring involving {crime}.",
    "{rank} {name}, Director of the {place} Provincial Police Department, chaired {event}.",
    "Police in {place} on {month} {day} arrested {n} suspects in a case of {crime}.",
    "In the first {k} months of the year, the {unit} detected and handled {n} cases of {crime}.",
    "Speaking at {event}, {rank} {name} praised the efforts of officers in {place}.",
]
MIDDLES = [
    "According to the investigation, the group had operated since {year} across {k} provinces, "
    "collecting more than {money} dong from victims.",
    "Officers seized {n} mobile phones, {k} cars and documents related to {crime}.",
    "The suspects used social networks and fake websites to lure people in {place} and neighbouring provinces.",
    "Working groups were sent to {k} districts to inspect the situation and guide local police.",
    "{rank} {name} asked units to strengthen patrols, especially at night and on weekends.",
    "The case was transferred to the {place} People's Procuracy for prosecution under the Penal Code.",
    "Local residents provided {n} tips that helped the police locate the hideout near the border.",
    "The number of traffic accidents fell by {pct} percent compared with the same period last year.",
    "More than {n} officers and {k} vehicles took part in the operation, which lasted {k2} days.",
    "The police also returned {money} dong and {k} motorbikes to the victims.",
    "Investigators said the ringleader, aged {age}, had {k} previous convictions for {crime}.",
    "Firefighters reached the scene within {k} minutes and rescued {n} people from the building.",
]
CLOSERS = [
    "The investigation is continuing.",
    "The {place} police advised residents to report suspicious activities to the nearest police station.",
    "{rank} {name} said the campaign would continue until the end of {month}.",
    "The ministry asked localities to draw lessons and replicate the model in {k} more provinces.",
    "On the same day, the delegation visited families of officers who died on duty in {place}.",
    "Officers who achieved outstanding results were awarded certificates of merit by the Minister.",
]


def paragraphs(n: int = 100, seed: int = 20240315) -> list[str]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []

    def fill(t: str) -> str:
        return t.format(
            place=rng.choice(PLACES), rank=rng.choice(RANKS), name=rng.choice(NAMES), crime=rng.choice(CRIMES),
            unit=rng.choice(UNITS), event=rng.choice(EVENTS), month=rng.choice(MONTHS), day=rng.randint(1, 28),
            n=rng.randint(3, 4500), k=rng.randint(2, 12), k2=rng.randint(2, 30), year=rng.randint(2015, 2023),
            money=f"{rng.randint(1, 900)},{rng.randint(0, 999):03d},000", pct=rng.randint(3, 40),
            age=rng.randint(19, 65),
        )

    def unique(pool: list[str]) -> str | None:
        for _ in range(100):
            s = fill(rng.choice(pool))
            if s not in seen:
                seen.add(s)
                return s
        return None  # only slot-less sentences left in this pool

    while len(out) < n:
        body = [unique(OPENERS)] + [unique(MIDDLES) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.7:
            body.append(unique(CLOSERS))
        out.append(" ".join(s for s in body if s))
    return out


if __name__ == "__main__":
    for p in paragraphs(5):
        print(p, end="\n\n")
