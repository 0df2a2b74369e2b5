package org.hamux.core.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The line on which every JSON path of a document starts ({@code $.a.b[2]}), for error messages. */
final class JsonLines {

    private final Map<String, Integer> lines = new HashMap<>();

    JsonLines(String json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                JsonStreamContext ctx = p.getParsingContext();
                lines.putIfAbsent(render(ctx.pathAsPointer(), ctx), p.getTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // an unreadable document has no lines: the parse error itself is reported by the reader
        }
    }

    private static String render(JsonPointer ptr, JsonStreamContext ctx) {
        StringBuilder b = new StringBuilder("$");
        for (JsonPointer p = ptr; p != null && !p.matches(); p = p.tail()) {
            int i = p.getMatchingIndex();
            b.append(i >= 0 ? "[" + i + "]" : "." + p.getMatchingProperty());
        }
        return b.toString();
    }

    /** The line of {@code path}, or of its nearest ancestor, or 0. */
    int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return 0;
            }
            p = p.substring(0, cut);
        }
    }
}
