"""The prompt categories a pack may use: slug → one-line description."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "this-or-that": "Pick one of two (or up to four) options, answerable with one tap.",
    "would-you-rather": "A choice between two tempting or tricky alternatives, and why.",
    "hypotheticals": "What-if scenarios that ask how you would act or feel.",
    "big-questions": "Thoughtful puzzles about time, infinity, meaning and how we think.",
    "creativity": "Invent, name, design or imagine something new.",
    "nostalgia": "Childhood, growing up and memories worth retelling.",
    "food": "Tastes, meals, kitchens and the stories around them.",
    "places-travel": "Places you have been, want to go, or carry with you.",
    "work-craft": "How we work, the tools we love and the craft we are proud of.",
    "learning-curiosity": "Things we learned, want to learn, or cannot stop wondering about.",
    "books-films-music": "Stories, songs and screens that stayed with us.",
    "nature-animals": "Creatures, weather, plants and the outdoors.",
    "small-joys": "Little everyday pleasures and comforts.",
    "future-tech": "Tomorrow's gadgets, habits and how technology shapes us.",
    "team-community": "Getting to know the people around us and how we work together.",
}
