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
