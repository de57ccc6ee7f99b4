-- Search under load without the page micro-cache: every request carries a distinct,
-- otherwise ignored parameter, so each one runs the search engine and renders the page.
-- The queries mix exact words, typos and prefixes of real catalogue words.
local queries = { "lantern", "lantren", "heart", "haert", "christmas", "chrismas", "bag",
  "jumbo bag", "cake stand", "cakestnad", "bunting", "party", "mug", "tea", "candle",
  "retrospot", "retrspot", "vintage", "doormat", "clock", "alarm clock", "lunch box",
  "paper chain", "wooden star", "hanging", "glass", "ceramic", "feltcraft", "spaceboy", "lights" }
local counter = 0
request = function()
  counter = counter + 1
  local q = queries[(counter % #queries) + 1]:gsub(" ", "+")
  return wrk.format("GET", "/search?q=" .. q .. "&bench=" .. counter .. "-" .. math.random(1, 1e9))
end
