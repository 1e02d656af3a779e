-- Pandoc Lua filter of the fallback path: make `fig-alt` (Quarto's alt-text attribute) the
-- image's alt text, as Quarto does, so both render paths give the same accessible HTML.
function Image(img)
  local alt = img.attributes['fig-alt']
  if alt then
    img.attributes['fig-alt'] = nil
    if FORMAT:match('html') then
      img.attributes['alt'] = alt
    end
  end
  return img
end
