// The two line formats of runc's --log file, byte for byte as logrus writes them.
//
// runc logs through logrus (main.go configLogrus: --log-format "text" keeps logrus's
// TextFormatter, "json" sets JSONFormatter) and engines read the file back on failure:
// containerd's shim (go-runc's getLastRuntimeError) decodes it as JSON lines and shows the last
// "error" msg; Podman reads its oci-log the same way. Lines we add must decode like runc's own.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace verified::logging {

/// runc's --log-format: "json", or logrus's default text format ("" and "text").
enum class LogFormat { kText, kJson };

/// logrus's levels, in the words its formatters print ("debug", "info", "warning", "error").
enum class LogLevel { kDebug, kInfo, kWarning, kError };

/// "json" -> kJson; anything else -> kText (runc itself rejects other values before it logs,
/// and our refusal must still reach someone, so it is written in the default format).
LogFormat ParseLogFormat(std::string_view value);

/// The level's name as logrus prints it.
const char* LevelName(LogLevel level);

/// `t` as RFC 3339 in UTC with nine fractional digits ("2026-11-22T05:24:27.123456789Z"), which
/// Go's time.Time JSON decoding (RFC 3339) accepts.
std::string Rfc3339Nano(std::chrono::system_clock::time_point t);

/// `s` as a JSON string the way Go's encoding/json writes it in logrus's JSONFormatter: quotes,
/// backslash and \b \f \n \r \t escaped short, other bytes below 0x20 as \u00xx, '<' '>' '&'
/// and U+2028/U+2029 as \u escapes (logrus keeps Go's HTML escaping on), each byte of invalid
/// UTF-8 as \ufffd. The result is always valid JSON on one line.
std::string GoJsonQuote(std::string_view s);

/// `s` as Go's strconv.Quote (fmt's %q) writes it, which logrus's TextFormatter uses: \" \\,
/// \a \b \f \n \r \t \v, other control bytes and DEL as \xNN, invalid UTF-8 bytes as \xNN,
/// non-printing code points (C1 controls, non-ASCII spaces, line/paragraph separators, format
/// characters, private use) as \uXXXX or \UXXXXXXXX; other UTF-8 unchanged. Unassigned code
/// points are not tracked and pass unchanged (Go escapes those too): the line stays one line.
std::string GoQuote(std::string_view s);

/// One log line, ending in '\n'. json: {"level":"...","msg":"...","time":"..."} (logrus's key
/// order: encoding/json sorts map keys). text: time="..." level=... msg=..., each value quoted
/// with GoQuote only when logrus's needsQuoting says so (a byte outside [A-Za-z0-9-._/@^+]; an
/// empty value stays bare, as logrus writes it without QuoteEmptyFields).
std::string FormatLogrusLine(LogLevel level, std::string_view msg,
                             std::chrono::system_clock::time_point t, LogFormat format);

}  // namespace verified::logging
