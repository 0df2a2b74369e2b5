package org.hamux.core.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamux.core.HamuxException;

/** Jackson's messages about malformed JSON, said in a spec writer's terms (no parser classes or features). */
final class JsonMessages {

    private static final Pattern CHAR = Pattern.compile("\\('(.*)' \\(code (\\d+)\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("'([^']*)'");

    private JsonMessages() {
    }

    /** {@code message} (Jackson's original message) in plain words. */
    static String plain(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        String m = message;
        String token = find(TOKEN, m);
        if (m.startsWith("Duplicate field")) {
            return "the key '" + token + "' appears twice in one object";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            if (m.contains("close marker for Object")) {
                return "the text ends before a '}' closes an object";
            }
            if (m.contains("close marker for Array")) {
                return "the text ends before a ']' closes a list";
            }
            if (m.contains("closing quote")) {
                return "the text ends inside a string";
            }
            return "the text ends before the JSON does";
        }
        if (m.startsWith("Unexpected close marker")) {
            String expected = m.contains("expected ']'") ? "']' to close a list" : "'}' to close an object";
            return "unexpected '" + token + "': expected " + expected;
        }
        if (m.startsWith("Unexpected character") || m.startsWith("Illegal character")) {
            Matcher c = CHAR.matcher(m);
            String what = m.contains("CTRL-CHAR") ? "a control character" : c.find() ? "'" + c.group(1) + "'" : "a character";
            if (m.contains("double-quote to start field name")) {
                return "unexpected " + what + ": expected a key in double quotes";
            }
            if (m.contains("comma to separate")) {
                return "unexpected " + what + ": expected a ',' between the entries";
            }
            if (m.contains("colon to separate")) {
                return "unexpected " + what + ": expected ':' after the key";
            }
            if (m.contains("white space")) {
                return what + " where only spaces, tabs and line breaks may be";
            }
            return "unexpected " + what + ": expected a value (a number, a string in double quotes, a list, an object, "
                    + "true, false or null)";
        }
        if (m.startsWith("Unrecognized token")) {
            return "unexpected '" + HamuxException.shorten(token, 40) + "': expected a value (a number, a string in "
                    + "double quotes, a list, an object, true, false or null)";
        }
        if (m.startsWith("Non-standard token")) {
            return "'" + token + "' is not a JSON number (JSON has no NaN or Infinity)";
        }
        if (m.startsWith("Invalid numeric value")) {
            return "an invalid number" + (m.contains("Leading zeroes") ? ": leading zeroes are not allowed" : "");
        }
        if (m.startsWith("Trailing token")) {
            return "more text after the end of the spec's object";
        }
        if (m.contains("nesting depth")) {
            return "lists or objects nested too deep (at most 1000 levels)";
        }
        // anything else: the first clause, without the parser's asides
        String s = m.replaceAll("\\s*\\((for|start marker|from) [^)]*\\)?.*", "").replaceAll("`[^`]*`", "").strip();
        return HamuxException.shorten(s.isEmpty() ? "malformed JSON" : s, 120);
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "";
    }
}
