-- expect: ok mentions :"nfd","
-- NFC "é" and NFD "e" + U+0301 are canonically equivalent Unicode but different bytes: two keys, in byte order.
return {["\u{E9}"] = "nfc", ["e\u{301}"] = "nfd"}
