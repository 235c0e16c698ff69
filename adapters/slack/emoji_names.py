"""Unicode emoji <-> Slack short names, for the emoji prompt packs use as choices.

Slack has no API that maps a unicode emoji to its short name, and reactions.add only takes
names, so we ship an explicit table. Unknown emoji are skipped (with a warning) by the poster.
"""

from __future__ import annotations

_TABLE = """
👍 +1 | 👎 -1 | ❤ heart | 😂 joy | 🔥 fire | 🎉 tada | 🐶 dog | 🐱 cat | ☕ coffee | 🍵 tea
🌞 sun_with_face | 🌙 crescent_moon | 🏖 beach_with_umbrella | ⛰ mountain | 🍕 pizza
🍔 hamburger | 🍎 apple | 🍌 banana | 🅰 a | 🅱 b | 1⃣ one | 2⃣ two | 3⃣ three | 4⃣ four
5⃣ five | ✅ white_check_mark | ❌ x | 🤔 thinking_face | 👀 eyes | 🌅 sunrise
🌃 night_with_stars | 📚 books | 🎬 clapper | 🎵 musical_note | 🏠 house | ✈ airplane
🚲 bike | 🚗 car | 🍦 icecream | 🍰 cake | 🍫 chocolate_bar | 🌶 hot_pepper
🧀 cheese_wedge | 🥐 croissant | 🐦 bird | 🦉 owl | 🐓 rooster | 🌲 evergreen_tree
🌊 ocean | ❄ snowflake | ☀ sunny | 🌧 rain_cloud | 🏙 cityscape | 🏡 house_with_garden
🐢 turtle | 🐰 rabbit | 🦁 lion_face | 🐻 bear | 🍷 wine_glass | 🍺 beer | 🎮 video_game
🎨 art | ⚽ soccer | 🏀 basketball | 📖 book | 🎧 headphones | 🌮 taco | 🍣 sushi | 🍜 ramen
🥗 green_salad | 🍩 doughnut | 🍪 cookie | 🍿 popcorn | 🌸 cherry_blossom | 🍂 fallen_leaf
🌻 sunflower | 🌈 rainbow | ⭐ star | 🚀 rocket | 💡 bulb | 🧠 brain | 🙌 raised_hands
👏 clap | 😍 heart_eyes | 😱 scream | 🤷 shrug | 🙂 slightly_smiling_face | 😀 grinning
💯 100 | ⬆ arrow_up | ⬇ arrow_down | ⬅ arrow_left | ➡ arrow_right | 🔴 red_circle
🔵 large_blue_circle | 🟢 large_green_circle | 🟡 large_yellow_circle
🏔 snow_capped_mountain | 🏕 camping | 🛋 couch_and_lamp | 🎭 performing_arts
🎤 microphone | 🎸 guitar | 🎹 musical_keyboard | 📱 iphone | 💻 computer
✍ writing_hand | 📝 memo | 🐟 fish | 🦊 fox_face | 🐼 panda_face | 🐧 penguin
🦄 unicorn_face | 🐝 bee | 🌍 earth_africa | 🗺 world_map | ⏰ alarm_clock
🌄 sunrise_over_mountains | 🍳 fried_egg | 🥞 pancakes | 🧁 cupcake | 🍉 watermelon
🍓 strawberry | 🥑 avocado | 🥕 carrot | 🌿 herb | 🏃 runner | 🧘 person_in_lotus_position
🛌 sleeping_accommodation | 🎲 game_die | 🧩 jigsaw | 🎁 gift | 🌳 deciduous_tree
0⃣ zero | ⌚ watch | ⏩ fast_forward | ⏪ rewind | ⏳ hourglass_flowing_sand
⏸ double_vertical_bar | ♟ chess_pawn | ♾ infinity | ⚓ anchor | ⛄ snowman_without_snow
⛈ thunder_cloud_and_rain | ⛵ boat | ✉ email | ✏ pencil2 | ✨ sparkles | 🌀 cyclone
🌋 volcano | 🌌 milky_way | 🌠 stars | 🌦 partly_sunny_rain | 🌨 snow_cloud | 🌱 seedling
🍀 four_leaf_clover | 🍁 maple_leaf | 🍋 lemon | 🍬 candy | 🍯 honey_pot | 🍲 stew
🍽 knife_fork_plate | 🎙 studio_microphone | 🎡 ferris_wheel | 🎢 roller_coaster | 🎯 dart
🎶 notes | 🏁 checkered_flag | 🏊 swimmer | 🏚 derelict_house_building | 🏜 desert
🏞 national_park | 🏰 european_castle | 🐈 cat2 | 🐉 dragon | 🐋 whale2 | 🐕 dog2
🐙 octopus | 🐯 tiger | 🐾 feet | 👂 ear | 👃 nose | 👗 dress | 👻 ghost | 💛 yellow_heart
📅 date | 📘 blue_book | 📰 newspaper | 📵 no_mobile_phones | 📷 camera | 🔁 repeat
🔇 mute | 🔍 mag | 🔮 crystal_ball | 🕊 dove_of_peace | 🖊 lower_left_ballpoint_pen
🗣 speaking_head_in_silhouette | 😌 relieved | 😏 smirk | 🚆 train2 | 🚙 blue_car
🚦 vertical_traffic_light | 🚶 walking | 🛠 hammer_and_wrench | 🤖 robot_face
🤗 hugging_face | 🤝 handshake | 🥤 cup_with_straw | 🦅 eagle | 🦋 butterfly | 🦎 lizard
🦥 sloth | 🦩 flamingo | 🧂 salt | 🧇 waffle | 🧊 ice_cube | 🧑‍🍳 cook | 🧒 child
🧓 older_adult | 🧭 compass | 🧰 toolbox | 🧶 yarn | 🧹 broom | 🪄 magic_wand
🪐 ringed_planet | 🪟 window | 🫧 bubbles | 🍝 spaghetti | 🍴 fork_and_knife
💙 blue_heart | 🥄 spoon | 🥜 peanuts | 🥢 chopsticks | 🥪 sandwich
☁ cloud | ⚡ zap | ⛴ ferry | ❓ question | 🌪 tornado | 🌴 palm_tree | 🌵 cactus
🌼 blossom | 🍑 peach | 🍚 rice | 🍞 bread | 🎂 birthday | 🎈 balloon | 🎩 tophat
🏆 trophy | 🏛 classical_building | 🏨 hotel | 🐐 goat | 🐜 ant | 🐞 ladybug
🐠 tropical_fish | 🐣 hatching_chick | 🐭 mouse | 💌 love_letter | 💎 gem
💬 speech_balloon | 💿 cd | 📋 clipboard | 📔 notebook_with_decorative_cover
📭 mailbox_with_no_mail | 🔢 1234 | 🔤 abc | 🖼 frame_with_picture
🗂 card_index_dividers | 😴 sleeping | 🚿 shower | 🛏 bed | 🛶 canoe | 🛸 flying_saucer
🤫 shushing_face | 🥟 dumpling | 🥧 pie | 🦓 zebra_face | 🦗 cricket | 🦦 otter
🦫 beaver | 🧍 standing_person | 🧳 luggage | 🧸 teddy_bear | 🧺 basket | 🪁 kite
🪑 chair | 🪞 mirror | 🪴 potted_plant | 🪵 wood
"""
# Names Slack also accepts for the same emoji, mapped to the canonical one it sends in events.
_ALIASES = {"thumbsup": "+1", "thumbsdown": "-1", "heavy_check_mark": "white_check_mark"}

_VARIATION_SELECTOR = "\ufe0f"


def _parse(table: str) -> dict[str, str]:
    pairs = (item.strip().split(" ", 1) for line in table.splitlines() for item in line.split("|"))
    return {emoji: name for emoji, name in (p for p in pairs if len(p) == 2)}


_NAME_OF = _parse(_TABLE)
_EMOJI_OF = {name: emoji for emoji, name in _NAME_OF.items()}


def slack_name(emoji: str) -> str | None:
    """The Slack short name of a unicode emoji (or of `:name:`), None if unknown."""
    stripped = emoji.strip()
    if stripped.startswith(":") and stripped.endswith(":") and len(stripped) > 2:
        return stripped[1:-1]
    return _NAME_OF.get(stripped.replace(_VARIATION_SELECTOR, ""))


def from_slack_name(name: str) -> str:
    """The unicode emoji for a Slack reaction name (skin tone dropped), else `:name:`."""
    base = name.split("::", 1)[0]
    base = _ALIASES.get(base, base)
    return _EMOJI_OF.get(base, f":{base}:")
