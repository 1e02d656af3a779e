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
