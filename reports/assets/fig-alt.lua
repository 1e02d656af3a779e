-- Pandoc Lua filter of the fallback path (pandoc + typst): give every image its `fig-alt` text
-- as Quarto does. HTML: the `alt` attribute. Typst (PDF): `image(..., alt: "...")`, so the
-- PDF's figures carry alt text too. Images without `fig-alt` are left to pandoc.

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(img)
  local alt = img.attributes['fig-alt']
  if not alt then
    return img
  end
  img.attributes['fig-alt'] = nil
  if FORMAT:match('typst') then
    local args = typst_string(img.src) .. ', alt: ' .. typst_string(alt)
    local width = img.attributes['width']
    if width and width:match('^[%d.]+%%$') then
      args = args .. ', width: ' .. width
    end
    return pandoc.RawInline('typst', '#image(' .. args .. ')')
  end
  img.attributes['alt'] = alt
  return img
end

-- Bands on the factsheet (helpers.publish.factsheet): the same colours in the PDF as in the
-- HTML (reports/assets/publicatie.css); the sign and the words stay in the text.
local BAND_KLEUR = {['band-lager'] = '#a63d00', ['band-hoger'] = '#005a8c',
                    ['band-gelijk'] = '#4d4d4d'}

function Span(span)
  if not FORMAT:match('typst') then
    return span
  end
  for _, klasse in ipairs(span.classes) do
    local kleur = BAND_KLEUR[klasse]
    if kleur then
      local uit = pandoc.Inlines({pandoc.RawInline('typst', '#text(fill: rgb("' .. kleur .. '"))[')})
      uit:extend(span.content)
      uit:insert(pandoc.RawInline('typst', ']'))
      return uit
    end
  end
  return span
end

-- Tables in the PDF (typst): column widths from the cells' text, so that a label column keeps
-- its words on one line and a numeric column with a long header does not claim the room
-- (typst's automatic widths squeeze the first column). Every column gets at least the width of
-- its longest word, a numeric (right-aligned) column its longest number (nothing runs into the
-- next column); the rest of the text width goes to the
-- columns whose text is longer (cells capped at 60 characters). When the longest words do not
-- fit side by side, typst's own widths stay. HTML keeps the browser's layout.
local TEKENBREEDTE = 5.0   -- pt per character at 8.5 pt DejaVu Sans (a generous average)
local CELRUIMTE = 11       -- pt of horizontal inset per cell (5 pt each side, and a margin)
local TEKSTBREEDTE = 470   -- pt: A4 minus the margins of assets/publicatie.typst

local function woorden(cell)
  local tekst = pandoc.utils.stringify(cell.contents)
  local langste = 0
  for woord in tekst:gmatch('%S+') do
    langste = math.max(langste, utf8.len(woord) or 0)
  end
  return utf8.len(tekst) or 0, langste
end

function Table(tbl)
  if not FORMAT:match('typst') then
    return tbl
  end
  local n = #tbl.colspecs
  if n < 2 then
    return tbl
  end
  local minimum, wens, rechts = {}, {}, {}
  for j = 1, n do
    minimum[j], wens[j] = 1, 1
    rechts[j] = tbl.colspecs[j][1] == 'AlignRight'
  end
  local function tel(rijen, kop)
    for _, rij in ipairs(rijen) do
      for j, cell in ipairs(rij.cells) do
        if j <= n then
          local lengte, langste = woorden(cell)
          if not kop and rechts[j] then
            langste = lengte  -- a number ("€ 28.900", "< 10") is never broken
          end
          minimum[j] = math.max(minimum[j], langste)
          wens[j] = math.max(wens[j], kop and langste or math.min(lengte, 60))
        end
      end
    end
  end
  tel(tbl.head.rows, true)
  for _, body in ipairs(tbl.bodies) do
    tel(body.body, false)
  end
  local breedte = function(tekens) return tekens * TEKENBREEDTE + CELRUIMTE end
  local vast, extra = 0, 0
  for j = 1, n do
    wens[j] = math.max(wens[j], minimum[j])
    vast = vast + breedte(minimum[j])
    extra = extra + (wens[j] - minimum[j])
  end
  if vast > TEKSTBREEDTE then
    return tbl
  end
  local rest = TEKSTBREEDTE - vast
  for j = 1, n do
    local w = breedte(minimum[j])
    if extra > 0 then
      w = w + rest * (wens[j] - minimum[j]) / extra
    else
      w = w + rest / n
    end
    tbl.colspecs[j] = {tbl.colspecs[j][1], w / TEKSTBREEDTE}
  end
  return tbl
end

-- The annex "Tabellen" (heading class `bijlage`): its tables in compact type, so that the
-- reference tables do not fill half the publication; the body keeps the regular table style.
function Header(kop)
  if FORMAT:match('typst') and kop.classes:includes('bijlage') then
    return {kop, pandoc.RawBlock('typst',
      '#set table(inset: (x: 3pt, y: 2pt))\n#show table: set text(size: 8pt)')}
  end
  return kop
end
