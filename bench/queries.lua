-- wrk script: cycle through 200 distinct public searches (keywords × filters), so that the
-- load test measures queries, not one cached page. Used by bench/load.sh for the "queries" target.
local keywords = {
  "燃气", "食品", "药品", "种子", "文物", "取水", "农药", "兽药", "排污", "旅馆",
  "特种设备", "经营许可", "道路运输", "建设工程", "户外广告", "矿产资源", "水土保持",
  "烟花爆竹", "民办学校", "出版物",
}
local filters = {
  "", "&power_type=licensing", "&power_type=penalty", "&kind=approval", "&kind=non_approval",
  "&status=not_handed_over", "&power_type=inspection", "&page=2", "&kind=approval&page=2",
  "&power_type=confirmation",
}
local function encode(text)  -- wrk sends the request line as written: percent-encode it
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for _, keyword in ipairs(keywords) do
  for _, filter in ipairs(filters) do
    paths[#paths + 1] = "/items/?q=" .. encode(keyword) .. filter
  end
end
local n = 0

request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
