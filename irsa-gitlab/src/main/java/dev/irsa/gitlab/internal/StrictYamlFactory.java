package dev.irsa.gitlab.internal;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Jackson's YAML factory, made to read YAML the way every other YAML tool does.
 *
 * <p>Jackson's {@code YAMLParser} turns an alias ({@code *name}) into the string {@code "name"} (the
 * anchor's name, not the anchored node: {@code nextToken()} in jackson-dataformat-yaml 2.22 returns
 * {@code VALUE_STRING} with {@code alias.getAnchor()} as its text), so {@code namespace: *kube-system}
 * after {@code &kube-system dev} read as {@code kube-system} where the YAML 1.2 spec (§3.2.2.2, "an alias
 * node refers to the most recent preceding node having the same anchor") and every reviewer's tool read
 * {@code dev}. Here the parser records the events of each anchored node and replays them in place of its
 * aliases, through the extension point the parser offers for that ({@code getEvent()}); the replay is
 * bounded ({@link #MAX_ALIAS_EVENTS}) so an alias bomb fails instead of filling the heap.
 *
 * <p>Also refused, each with a clear message: duplicate keys (last-wins hides what a reviewer reads
 * first), a second document ({@code ---}; Jackson would silently ignore it), YAML 1.1 merge keys
 * ({@code <<}, which YAML 1.2 does not have and tools disagree on), and documents over {@code maxChars}
 * (Jackson's {@code maxDocumentLength} and SnakeYAML's code point limit, the latter counted per document).
 */
public final class StrictYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;
    /** At most this many events replayed for aliases in one document (an honest spec needs a few hundred). */
    public static final int MAX_ALIAS_EVENTS = 10_000;

    private StrictYamlFactory(YAMLFactoryBuilder builder) {
        super(builder);
    }

    private StrictYamlFactory(StrictYamlFactory source) {
        super(source, null);
    }

    @Override
    public YAMLFactory copy() {
        return new StrictYamlFactory(this);
    }

    /** A factory for documents of at most {@code maxChars} characters. */
    public static StrictYamlFactory create(int maxChars) {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(maxChars);
        loader.setAllowDuplicateKeys(false);
        YAMLFactoryBuilder builder = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(maxChars).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        return new StrictYamlFactory(builder);
    }

    @Override
    protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, _createReader(in, null, ctxt));
    }

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
    }

    @Override
    protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, new CharArrayReader(data, offset, len));
    }

    @Override
    protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, _createReader(data, offset, len, null, ctxt));
    }

    /** The parser: expands aliases by replaying the anchored node's events; refuses what would change meaning. */
    static final class Parser extends YAMLParser {
        private final Map<String, List<Event>> anchored = new HashMap<>();
        private final Deque<Recording> recording = new ArrayDeque<>();
        private final Deque<Event> replay = new ArrayDeque<>();
        private int replayed;
        private int documents;

        Parser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions loader, ObjectCodec codec, Reader reader) {
            super(ctxt, parserFeatures, formatFeatures, loader, codec, reader);
        }

        @Override
        protected Event getEvent() throws IOException {
            while (true) {
                Event event = replay.isEmpty() ? super.getEvent() : replay.poll();
                if (event instanceof AliasEvent alias) {
                    expand(alias);
                    continue;
                }
                if (event instanceof DocumentStartEvent && ++documents > 1) {
                    throw _constructError("a second YAML document ('---'): a spec is one document; extra documents would be ignored");
                }
                if (event instanceof ScalarEvent scalar && isMergeKey(scalar)) {
                    throw _constructError("YAML merge keys ('<<') are not supported: write the entries out (YAML 1.2 has no merge keys "
                            + "and tools disagree on them)");
                }
                record(event);
                return event;
            }
        }

        private boolean isMergeKey(ScalarEvent scalar) {
            return scalar.isPlain() && scalar.getTag() == null && "<<".equals(scalar.getValue())
                    && getParsingContext().inObject() && currentToken() != JsonToken.FIELD_NAME;
        }

        private void expand(AliasEvent alias) throws IOException {
            List<Event> events = anchored.get(alias.getAnchor());
            if (events == null) {
                throw _constructError("alias *" + alias.getAnchor() + " refers to no anchor (&" + alias.getAnchor() + ") before it");
            }
            replayed += events.size();
            if (replayed > MAX_ALIAS_EVENTS) {
                throw _constructError("YAML aliases expand to more than " + MAX_ALIAS_EVENTS + " nodes (an alias bomb?)");
            }
            for (int i = events.size() - 1; i >= 0; i--) {
                replay.addFirst(events.get(i));
            }
        }

        /** Adds the event to every anchored node being recorded; starts or ends recordings. */
        private void record(Event event) {
            String anchor = event instanceof NodeEvent node ? node.getAnchor() : null;
            Event plain = anchor == null ? event : withoutAnchor(event);
            if (anchor != null && event instanceof CollectionStartEvent) {
                // An alias inside the node being anchored would be a cycle: it refers to no finished node.
                anchored.remove(anchor);
                recording.push(new Recording(anchor));
            }
            for (Iterator<Recording> it = recording.iterator(); it.hasNext(); ) {
                Recording r = it.next();
                r.events.add(plain);
                r.depth += event instanceof CollectionStartEvent ? 1 : event instanceof CollectionEndEvent ? -1 : 0;
                if (r.depth == 0) {
                    anchored.put(r.anchor, List.copyOf(r.events));
                    it.remove();
                }
            }
            if (anchor != null && event instanceof ScalarEvent) {
                anchored.put(anchor, List.of(plain));
            }
        }

        /** Replayed events carry no anchor: an alias refers to a node, it does not define the anchor again. */
        private static Event withoutAnchor(Event event) {
            if (event instanceof ScalarEvent s) {
                return new ScalarEvent(null, s.getTag(), s.getImplicit(), s.getValue(), s.getStartMark(), s.getEndMark(), s.getScalarStyle());
            }
            if (event instanceof MappingStartEvent m) {
                return new MappingStartEvent(null, m.getTag(), m.getImplicit(), m.getStartMark(), m.getEndMark(), m.getFlowStyle());
            }
            SequenceStartEvent s = (SequenceStartEvent) event;
            return new SequenceStartEvent(null, s.getTag(), s.getImplicit(), s.getStartMark(), s.getEndMark(), s.getFlowStyle());
        }

        private static final class Recording {
            final String anchor;
            final List<Event> events = new ArrayList<>();
            int depth;

            Recording(String anchor) {
                this.anchor = anchor;
            }
        }
    }
}
