package io.github.ssestarter.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.ssestarter.PropertyChecks.Shrinker;
import io.github.ssestarter.PropertyChecks;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.wire.SseFormatter;
import org.junit.jupiter.api.Test;

import static io.github.ssestarter.PropertyChecks.forAll;
import static io.github.ssestarter.PropertyChecks.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Properties of the wire format, each checked on hundreds of generated inputs rather than a few
 * examples: what {@link SseFormatter} writes, {@link SseParser} (and {@link SseEventReader}) reads
 * back as exactly what a browser would dispatch, however the bytes are cut into chunks; items refuse
 * every field that would corrupt a stream; the parser keeps to its memory bound, to the byte.
 *
 * <p>The generated text mixes ASCII with CR, LF and CRLF, NUL, the characters that are line breaks
 * elsewhere but not in an event stream (U+2028, U+2029, U+0085, VT, FF), U+FEFF, non-BMP characters
 * (surrogate pairs), the occasional unpaired surrogate, text that looks like field names, empty text
 * and text of a few thousand characters. The round trip, as the SSE standard has it and as checked
 * here: in {@code data} (and comments) each CR, LF and CRLF comes back as one LF and nothing else
 * changes, except that an unpaired surrogate comes back as {@code ?}; a trailing line break comes
 * back as a trailing LF; {@code ""} comes back as an event with empty data, {@code null} data as no
 * event at all; an empty or absent event type comes back as {@code message}; ids and event types
 * come back exactly (unpaired surrogates aside); retry delays come back in whole milliseconds. The
 * parser is also checked against the standard's own steps, written out again here, on arbitrary
 * field lines, and for the same result however its input is cut into chunks, even on bytes that
 * are not an event stream at all.
 *
 * <p>A failure names its seed: {@code -Dsse.properties.seed=<seed>} replays it (see
 * {@link PropertyChecks}).
 */
class WireFormatPropertyTests {

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	/** The parser's default bound on a line and on an event's data. */
	private static final int DEFAULT_MAX_LENGTH = 1024 * 1024;

	/** Characters that other standards call line breaks but an event stream does not. */
	private static final String[] NOT_LINE_BREAKS = { "\u2028", "\u2029", "\u0085", "\u000B", "\u000C", "\u001C" };

	private static final String[] FIELD_LOOKALIKES = { "data:", "data: ", "id: 1", "event: x", "retry: 5", ": ",
			"\uFEFF", "message" };

	@Test
	void parsingWhatTheFormatterWroteGivesBackEachItemAsABrowserSeesIt() {
		forAll(400, (random) -> items(random, 8), Shrinker.list(WireFormatPropertyTests::smallerItems), (items) -> {
			RecordingListener recorder = new RecordingListener();
			SseParser parser = new SseParser(recorder);
			for (SseItem<String> item : items) {
				parser.feed(SseFormatter.format(item));
			}
			Seen expected = Seen.of(items);
			assertThat(recorder.events).as("events").containsExactlyElementsOf(expected.events);
			assertThat(recorder.comments).as("comments").containsExactlyElementsOf(expected.comments);
			assertThat(recorder.retries).as("retry delays").containsExactlyElementsOf(expected.retries);
			assertThat(parser.lastEventId()).as("last event id").isEqualTo(expected.lastEventId);
		});
	}

	/**
	 * A data value is cut into lines at CR, LF and CRLF (a CR right before an LF makes one line
	 * break with it, so {@code "\r\n"} is one break but {@code "\n\r"} and {@code "\r\r\n"} are two)
	 * and at nothing else; each line is written as its own {@code data: } line and the lines come
	 * back joined with LF.
	 */
	@Test
	void eachCrLfOrCrlfInDataIsOneDataLineAndComesBackAsOneLf() {
		forAll(400, WireFormatPropertyTests::dataParts, (parts) -> {
			String data = String.join("", parts);
			// The parts alternate: a line's text, a line break, a line's text...
			List<String> lines = IntStream.range(0, parts.size()).filter((i) -> i % 2 == 0).mapToObj(parts::get).toList();
			String frame = new String(SseFormatter.format(SseItem.of(data)), StandardCharsets.UTF_8);
			assertThat(frame).isEqualTo(utf8(lines.stream().map((line) -> "data: " + line + "\n").collect(Collectors.joining())
					+ "\n"));
			assertThat(parse(frame.getBytes(StandardCharsets.UTF_8)).events)
				.containsExactly(new SseEvent("message", utf8(String.join("\n", lines)), ""));
		});
	}

	/**
	 * A frame is its comment lines, then {@code id}, {@code event}, {@code retry} and {@code data}
	 * lines, each name followed by a colon and one space, and the blank line that ends it: so it
	 * never holds a CR, never starts with a byte order mark, is valid UTF-8 and has no blank line
	 * before its end.
	 */
	@Test
	void framesAreWrittenInCanonicalFormWithoutCrOrByteOrderMark() {
		forAll(400, WireFormatPropertyTests::item, WireFormatPropertyTests::smallerItems, (item) -> {
			byte[] frame = SseFormatter.format(item);
			assertThat(frame).as("frame").isEqualTo(canonicalFrame(item).getBytes(StandardCharsets.UTF_8));
			assertThat(frame).as("no CR byte").doesNotContain((byte) '\r');
			assertThat(Arrays.copyOf(frame, Math.min(3, frame.length))).as("no BOM").isNotEqualTo(BOM);
			assertThatNoException().as("valid UTF-8")
				.isThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frame)));
			String text = new String(frame, StandardCharsets.UTF_8);
			assertThat(text.indexOf("\n\n")).as("the only blank line ends the frame").isEqualTo(text.length() - 2);
		});
	}

	/**
	 * The same formatted frames, fed to the parser in chunks cut anywhere (inside a multi-byte
	 * character, between CR and LF, inside a leading byte order mark, with empty chunks), with their
	 * line endings rewritten as any mix of LF, CR and CRLF, and behind a byte order mark or not, give
	 * the same events, comments, retry delays and last event id as the items they were made of.
	 */
	@Test
	void chunkingLineEndingsAndALeadingBomDoNotChangeWhatTheParserDispatches() {
		forAll(400, (random) -> {
			List<SseItem<String>> items = items(random, 6);
			byte[] stream = reterminate(random, concat(items.stream().map(SseFormatter::format).toList()));
			if (random.nextInt(4) == 0) {
				stream = concat(List.of(BOM, stream));
			}
			return new Cut<>(items, stream, cuts(random, stream));
		}, (input) -> {
			Seen whole = parseInChunks(input.stream(), new int[0], DEFAULT_MAX_LENGTH);
			Seen chunked = parseInChunks(input.stream(), input.cuts(), DEFAULT_MAX_LENGTH);
			assertThat(chunked).isEqualTo(whole);
			assertThat(whole).isEqualTo(Seen.of(input.of()));
		});
	}

	/**
	 * Whatever the bytes, well-formed or not, cutting them differently changes nothing the parser
	 * reports: events, comments, retry delays, last event id, and whether (and after which events)
	 * it fails on a line or data longer than its bound.
	 */
	@Test
	void chunkingDoesNotChangeWhatTheParserMakesOfArbitraryBytes() {
		forAll(1000, (random) -> {
			byte[] stream = soup(random);
			int maxLength = (random.nextBoolean()) ? DEFAULT_MAX_LENGTH : 1 + random.nextInt(40);
			return new Cut<>(maxLength, stream, cuts(random, stream));
		}, (input) -> {
			Seen whole = parseInChunks(input.stream(), new int[0], input.of());
			Seen chunked = parseInChunks(input.stream(), input.cuts(), input.of());
			assertThat(chunked).isEqualTo(whole);
		});
	}

	@Test
	void readerReturnsTheSameEventsWhateverSizesItsReadsHave() {
		forAll(200, (random) -> {
			byte[] stream = (random.nextBoolean()) ? soup(random)
					: concat(items(random, 6).stream().map(SseFormatter::format).toList());
			return new Cut<>("reads ending at the cuts", stream, cuts(random, stream));
		}, (input) -> {
			Seen whole = parseInChunks(input.stream(), new int[0], DEFAULT_MAX_LENGTH);
			List<SseEvent> events = new ArrayList<>();
			List<String> comments = new ArrayList<>();
			try (SseEventReader reader = new SseEventReader(new CutInput(input.stream(), input.cuts()), comments::add)) {
				for (SseEvent event = reader.next(); event != null; event = reader.next()) {
					events.add(event);
				}
				assertThat(events).isEqualTo(whole.events());
				assertThat(comments).isEqualTo(whole.comments());
				assertThat(reader.lastEventId()).isEqualTo(whole.lastEventId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * Streams of arbitrary field lines (known and unknown names, with and without a colon, no,
	 * one or two spaces before the value, ids with NUL, retry values that are not plain ASCII
	 * digits or do not fit a {@code long}, comments, blank lines, a leading byte order mark), with
	 * any line endings, give what the WHATWG "interpret an event stream" steps give: those steps are
	 * written out again here, on the decoded text, as the reference.
	 */
	@Test
	void parserInterpretsArbitraryFieldLinesAsTheStandardSays() {
		forAll(500, (random) -> {
			String text = fieldLines(random);
			byte[] stream = text.getBytes(StandardCharsets.UTF_8);
			return new Cut<>(text, stream, cuts(random, stream));
		}, (input) -> assertThat(parseInChunks(input.stream(), input.cuts(), DEFAULT_MAX_LENGTH))
			.isEqualTo(interpret(input.of())));
	}

	/**
	 * With a bound of {@code max} bytes a {@code data} line holds {@code "data: "} and at most
	 * {@code max - 6} bytes of value, and an event's data, its lines joined with LF, at most
	 * {@code max} bytes: up to there, to the byte, the parser dispatches; one byte more and it fails,
	 * for good.
	 */
	@Test
	void parserTakesDataUpToItsBoundToTheByteAndFailsForGoodBeyond() {
		forAll(300, (random) -> {
			int max = 8 + random.nextInt(600);
			return new Bounded(max, boundaryData(random, max));
		}, (input) -> {
			byte[] frame = SseFormatter.format(SseItem.of(input.data()));
			RecordingListener recorder = new RecordingListener();
			SseParser parser = new SseParser(recorder, input.max());
			if (fits(input.data(), input.max())) {
				parser.feed(frame);
				assertThat(recorder.events).containsExactly(new SseEvent("message", normalized(input.data()), ""));
			}
			else {
				assertThatIllegalStateException().isThrownBy(() -> parser.feed(frame))
					.withMessageContaining("longer than " + input.max() + " bytes");
				assertThat(recorder.events).isEmpty();
				assertThatIllegalStateException().isThrownBy(() -> parser.feed(new byte[0]))
					.withMessageContaining("failed earlier");
			}
		});
	}

	/**
	 * At the default bound of 1 MiB: a single line of {@code 1 MiB - 6} bytes of value, and lines
	 * that add up to 1 MiB, come back whole; one byte more of either is refused.
	 */
	@Test
	void dataAsLargeAsTheDefaultBoundComesBackWholeAndOneByteMoreIsRefused() {
		forAll(1, (random) -> Stream.of(true, false).flatMap((oneLine) -> Stream.of(0, 1).map((over) -> {
			int bytes = (oneLine ? DEFAULT_MAX_LENGTH - 6 : DEFAULT_MAX_LENGTH) + over;
			return new Bounded(DEFAULT_MAX_LENGTH, oneLine ? textOfBytes(random, bytes)
					: linesOfBytes(random, bytes, DEFAULT_MAX_LENGTH - 6));
		})).toList(), (cases) -> assertThat(cases).allSatisfy((input) -> {
			byte[] frame = SseFormatter.format(SseItem.of(input.data()));
			RecordingListener recorder = new RecordingListener();
			SseParser parser = new SseParser(recorder);
			Runnable feed = () -> {
				for (int start = 0; start < frame.length; start += 65_000) {
					parser.feed(frame, start, Math.min(65_000, frame.length - start));
				}
			};
			if (fits(input.data(), DEFAULT_MAX_LENGTH)) {
				feed.run();
				assertThat(recorder.events).hasSize(1);
				assertThat(recorder.events.get(0).data()).isEqualTo(normalized(input.data()));
			}
			else {
				assertThatIllegalStateException().isThrownBy(feed::run).withMessageContaining("longer than 1048576 bytes");
			}
		}));
	}

	/**
	 * An item that would corrupt a stream cannot even be made, so no frame can ever be written for
	 * it: CR or LF in an id or event type, NUL in an id and a negative retry delay are refused with an
	 * {@link IllegalArgumentException} naming the field, whichever way the item is built. The
	 * characters that only look like line breaks, and NUL in an event type, are taken.
	 */
	@Test
	void itemsRefuseFieldsThatWouldCorruptTheStreamWhicheverWayTheyAreBuilt() {
		forAll(500, (random) -> {
			String valid = text(random, 20, false, false);
			int at = random.nextInt(valid.length() + 1);
			String bad = valid.substring(0, at) + oneOf(random, "\r", "\n", "\r\n", "\0") + valid.substring(at);
			Duration negative = (random.nextBoolean()) ? Duration.ofNanos(-1 - random.nextInt(1_000_000))
					: Duration.ofSeconds(-1 - random.nextInt(1_000_000), random.nextInt(1_000_000_000));
			return new Refusal(valid, bad, negative, random.nextInt(3));
		}, (input) -> {
			String bad = input.bad();
			boolean nulOnly = bad.indexOf('\r') < 0 && bad.indexOf('\n') < 0;
			String idMessage = nulOnly ? "id contains NUL, which clients ignore" : "id contains a line terminator";
			List<Supplier<SseItem<?>>> badIds = List.of(() -> SseItem.idOnly(bad), () -> SseItem.of("x").withId(bad),
					() -> SseItem.comment("c").withId(bad), () -> SseItem.empty().withId(bad));
			assertThat(badIds).allSatisfy((build) -> assertThatIllegalArgumentException().isThrownBy(build::get)
				.withMessage(idMessage));
			Runnable badType = switch (input.path()) {
				case 0 -> () -> SseItem.of(bad, "x");
				case 1 -> () -> SseItem.of("x").withEventType(bad);
				default -> () -> SseItem.empty().withData("x").withEventType(bad);
			};
			if (nulOnly) {
				assertThatNoException().isThrownBy(badType::run);
			}
			else {
				assertThatIllegalArgumentException().isThrownBy(badType::run)
					.withMessage("eventType contains a line terminator");
			}
			assertThatIllegalArgumentException().isThrownBy(() -> SseItem.retryOnly(input.negativeRetry()))
				.withMessage("retry must not be negative");
			assertThatIllegalArgumentException().isThrownBy(() -> SseItem.of("x").withRetry(input.negativeRetry()))
				.withMessage("retry must not be negative");
			String lookalikes = input.valid() + String.join("", NOT_LINE_BREAKS);
			assertThatNoException().isThrownBy(() -> SseItem.of(lookalikes, "x").withId(lookalikes));
		});
	}

	@Test
	void formatterRefusesDataThatIsNotSerialisedYet() {
		forAll(50, (random) -> oneOf(random, (Object) random.nextInt(), List.of(random.nextLong()), 'c',
				new StringBuilder("sb"), new byte[] { 1 }), (data) -> {
			assertThatIllegalArgumentException().isThrownBy(() -> SseFormatter.format(SseItem.of(data)))
				.withMessageContaining(data.getClass().getName());
		});
	}

	/**
	 * {@link SseItem} promises that "an item that exists can always be written": a retry delay too
	 * long for a {@code long} count of milliseconds (about 292 million years) is refused, as the
	 * formatter could not write it.
	 */
	@Test
	void refusesARetryDelayTooLongToWriteAndWritesTheLongestItTakes() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseItem.retryOnly(Duration.ofSeconds(Long.MAX_VALUE)))
			.withMessageContaining("retry");
		SseItem<Void> longest = SseItem.retryOnly(Duration.ofMillis(Long.MAX_VALUE));
		assertThat(new String(SseFormatter.format(longest), StandardCharsets.UTF_8))
			.isEqualTo("retry: " + Long.MAX_VALUE + "\n\n");
	}

	// What a browser sees

	/**
	 * What a client makes of a stream: its events, comments, retry delays, last event id and whether
	 * the parser failed.
	 */
	record Seen(List<SseEvent> events, List<String> comments, List<Long> retries, String lastEventId, boolean failed) {

		/** What a client must see of the frames of the given items, written one after another. */
		static Seen of(List<SseItem<String>> items) {
			List<SseEvent> events = new ArrayList<>();
			List<String> comments = new ArrayList<>();
			List<Long> retries = new ArrayList<>();
			String lastEventId = "";
			for (SseItem<String> item : items) {
				if (item.comment() != null) {
					comments.addAll(lines(utf8(item.comment())));
				}
				if (item.id() != null) {
					lastEventId = utf8(item.id());
				}
				if (item.retry() != null) {
					retries.add(item.retry().toMillis());
				}
				if (item.data() != null) {
					String type = (item.eventType() == null || item.eventType().isEmpty()) ? "message"
							: utf8(item.eventType());
					events.add(new SseEvent(type, normalized(item.data()), lastEventId));
				}
			}
			return new Seen(events, comments, retries, lastEventId, false);
		}

		@Override
		public String toString() {
			return "Seen{events=" + this.events + ", comments=" + this.comments.stream().map(PropertyChecks::quote).toList()
					+ ", retries=" + this.retries + ", lastEventId=" + quote(this.lastEventId) + ", failed=" + this.failed
					+ "}";
		}

	}

	private static Seen parse(byte[] stream) {
		return parseInChunks(stream, new int[0], DEFAULT_MAX_LENGTH);
	}

	/**
	 * Feeds the stream cut at the given offsets, each chunk from a scratch array at a random-looking
	 * offset that is scribbled over once {@link SseParser#feed} returns, as the caller may reuse it.
	 */
	private static Seen parseInChunks(byte[] stream, int[] cuts, int maxLength) {
		RecordingListener recorder = new RecordingListener();
		SseParser parser = new SseParser(recorder, maxLength);
		boolean failed = false;
		int start = 0;
		try {
			for (int i = 0; i <= cuts.length; i++) {
				int end = (i < cuts.length) ? cuts[i] : stream.length;
				int offset = (i * 7) % 5;
				byte[] scratch = new byte[offset + (end - start) + 3];
				System.arraycopy(stream, start, scratch, offset, end - start);
				parser.feed(scratch, offset, end - start);
				Arrays.fill(scratch, (byte) '\n');
				start = end;
			}
		}
		catch (IllegalStateException ex) {
			failed = true;
			assertThatIllegalStateException().as("a failed parser stays failed")
				.isThrownBy(() -> parser.feed(new byte[] { '\n' }));
		}
		return new Seen(recorder.events, recorder.comments, recorder.retries, parser.lastEventId(), failed);
	}

	// Generators

	/**
	 * Text from pieces that matter to the wire format, mostly short, now and then empty or a few
	 * thousand characters long.
	 */
	static String text(SplittableRandom random, int typicalLength, boolean lineBreaks, boolean nul) {
		int length = switch (random.nextInt(10)) {
			case 0 -> 0;
			case 1 -> typicalLength * 4 + random.nextInt(typicalLength * 100 + 1);
			default -> random.nextInt(typicalLength + 1);
		};
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			int kind = random.nextInt(100);
			if (kind < 45) {
				text.append((char) (0x20 + random.nextInt(0x5F)));
			}
			else if (kind < 50) {
				text.append(oneOf(random, " ", ":", "  "));
			}
			else if (kind < 62) {
				if (lineBreaks) {
					text.append(oneOf(random, "\r", "\n", "\r\n", "\n\r", "\r\r\n"));
				}
			}
			else if (kind < 65) {
				if (nul) {
					text.append('\0');
				}
			}
			else if (kind < 72) {
				text.append(oneOf(random, NOT_LINE_BREAKS));
			}
			else if (kind < 80) {
				// Any BMP character but a surrogate.
				int c = 0xA0 + random.nextInt(0xD800 - 0xA0);
				text.append((char) ((random.nextInt(4) == 0) ? 0xE000 + random.nextInt(0x2000) : c));
			}
			else if (kind < 90) {
				text.appendCodePoint((random.nextBoolean()) ? 0x1F600 + random.nextInt(80)
						: 0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1));
			}
			else if (kind < 92) {
				// An unpaired surrogate, written as '?'.
				text.append((char) ((random.nextBoolean()) ? 0xD800 + random.nextInt(0x400) : 0xDC00 + random.nextInt(0x400)));
			}
			else {
				String lookalike = oneOf(random, FIELD_LOOKALIKES);
				text.append((lineBreaks || lookalike.indexOf('\n') < 0) ? lookalike : "");
			}
		}
		return text.toString();
	}

	static SseItem<String> item(SplittableRandom random) {
		String data = switch (random.nextInt(10)) {
			case 0 -> null;
			case 1 -> "";
			default -> text(random, 30, true, true);
		};
		SseItem<String> item = SseItem.empty().withData(data);
		if (random.nextBoolean()) {
			item = item.withEventType((random.nextInt(8) == 0) ? "" : text(random, 10, false, true));
		}
		if (random.nextBoolean()) {
			item = item.withId(text(random, 12, false, false));
		}
		if (random.nextInt(4) == 0) {
			long millis = switch (random.nextInt(5)) {
				case 0 -> 0;
				case 1 -> Long.MAX_VALUE;
				case 2 -> random.nextInt(1000);
				default -> random.nextLong(Long.MAX_VALUE);
			};
			item = item.withRetry(Duration.ofMillis(millis).plusNanos(random.nextInt(1_000_000)));
		}
		if (random.nextInt(6) == 0) {
			item = item.withComment(text(random, 10, true, true));
		}
		return item;
	}

	static List<SseItem<String>> items(SplittableRandom random, int most) {
		return IntStream.range(0, random.nextInt(most + 1)).mapToObj((i) -> item(random)).toList();
	}

	/** The item with one field dropped or its data shortened. */
	static Stream<SseItem<String>> smallerItems(SseItem<String> item) {
		Stream<SseItem<String>> dropped = Stream.of(
				(item.comment() != null) ? item.withComment(null) : null,
				(item.retry() != null) ? item.withRetry(null) : null,
				(item.eventType() != null) ? item.withEventType(null) : null,
				(item.id() != null) ? item.withId(null) : null);
		Stream<SseItem<String>> shorterData = (item.data() != null)
				? Shrinker.string().candidates(item.data()).limit(40).map(item::withData) : Stream.empty();
		return Stream.concat(dropped.filter(Objects::nonNull), shorterData);
	}

	/**
	 * A line's text, a line break (CR, LF or CRLF), a line's text, and so on, ending with a line's
	 * text (empty after a final break).
	 */
	static List<String> dataParts(SplittableRandom random) {
		List<String> parts = new ArrayList<>();
		int count = random.nextInt(12);
		for (int i = 0; i < count; i++) {
			boolean lineBreak = (i % 2 == 1);
			if (lineBreak) {
				String previous = parts.get(parts.size() - 1);
				// A CR, then an empty line, then LF: that would be one CRLF break, not two.
				String lf = previous.isEmpty() && parts.size() >= 2 && parts.get(parts.size() - 2).equals("\r")
						? "\r\n" : "\n";
				parts.add(oneOf(random, "\r", lf, "\r\n"));
			}
			else {
				parts.add(text(random, 8, false, true));
			}
		}
		if (!parts.isEmpty() && isLineBreak(parts.get(parts.size() - 1))) {
			// Ends with a break: the last line is empty.
			parts.add("");
		}
		if (parts.isEmpty()) {
			parts.add("");
		}
		return parts;
	}

	private static boolean isLineBreak(String part) {
		return part.equals("\r") || part.equals("\n") || part.equals("\r\n");
	}

	/** Field lines and blank lines with random line endings, maybe behind a byte order mark. */
	static String fieldLines(SplittableRandom random) {
		StringBuilder text = new StringBuilder((random.nextInt(5) == 0) ? "\uFEFF" : "");
		int lines = random.nextInt(30);
		for (int i = 0; i < lines; i++) {
			if (random.nextInt(4) > 0) {
				String name = oneOf(random, "data", "data", "event", "id", "id", "retry", "retry", "", "Data", "ID",
						"dat", "data ", "retry ", "foo");
				String value = switch (name) {
					case "retry" -> oneOf(random, "", "0", "007", "42", "-1", "+5", "1.5", " 5", "5 ", "\u0663", "\uFF15",
							"9223372036854775807", "9223372036854775808", "99999999999999999999", "1e3");
					case "id" -> text(random, 8, false, random.nextInt(3) == 0);
					default -> text(random, 12, false, true);
				};
				text.append(name);
				if (random.nextInt(5) > 0) {
					text.append(':').append(oneOf(random, "", " ", " ", "  "));
				}
				text.append(value);
			}
			text.append(oneOf(random, "\n", "\n", "\r", "\r\n"));
		}
		// Unpaired surrogates have no UTF-8 form: what is parsed is what was written.
		return utf8(text.toString());
	}

	/**
	 * The WHATWG HTML standard's "interpret an event stream" steps, on decoded text: one leading
	 * U+FEFF dropped; lines end with CRLF, LF or CR; a {@code retry} value counts only if it is all
	 * ASCII digits and, as the parser documents, fits a {@code long}.
	 */
	static Seen interpret(String stream) {
		String text = stream.startsWith("\uFEFF") ? stream.substring(1) : stream;
		List<String> lines = lines(text);
		// The text after the last line ending is a line not ended yet: the stream stops in it.
		lines = lines.subList(0, lines.size() - 1);
		List<SseEvent> events = new ArrayList<>();
		List<String> comments = new ArrayList<>();
		List<Long> retries = new ArrayList<>();
		StringBuilder data = new StringBuilder();
		String type = "";
		String idBuffer = "";
		String lastEventId = "";
		for (String line : lines) {
			if (line.isEmpty()) {
				lastEventId = idBuffer;
				if (data.length() > 0) {
					data.setLength(data.length() - 1);
					events.add(new SseEvent(type.isEmpty() ? "message" : type, data.toString(), lastEventId));
				}
				data.setLength(0);
				type = "";
				continue;
			}
			int colon = line.indexOf(':');
			String name = (colon >= 0) ? line.substring(0, colon) : line;
			String value = (colon >= 0) ? line.substring(colon + 1) : "";
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			if (colon == 0) {
				comments.add(value);
			}
			else if (name.equals("data")) {
				data.append(value).append('\n');
			}
			else if (name.equals("event")) {
				type = value;
			}
			else if (name.equals("id") && value.indexOf('\0') < 0) {
				idBuffer = value;
			}
			else if (name.equals("retry") && !value.isEmpty() && value.chars().allMatch((c) -> c >= '0' && c <= '9')
					&& new BigInteger(value).bitLength() < 64) {
				retries.add(Long.parseLong(value));
			}
		}
		return new Seen(events, comments, retries, lastEventId, false);
	}

	/**
	 * Data for a parser bounded at {@code max} bytes, sized near its edges: one line of about
	 * {@code max - 6} bytes, or lines that add up to about {@code max} bytes.
	 */
	static String boundaryData(SplittableRandom random, int max) {
		int slack = random.nextInt(5) - 2;
		if (random.nextBoolean()) {
			return textOfBytes(random, Math.max(0, max - 6 + slack));
		}
		return linesOfBytes(random, Math.max(0, max + slack), Math.max(1, max - 6 + ((random.nextInt(4) == 0) ? 1 : 0)));
	}

	/** Lines joined with LF (or CRLF) that take exactly {@code bytes} bytes as the parser counts them. */
	static String linesOfBytes(SplittableRandom random, int bytes, int longestLine) {
		StringBuilder data = new StringBuilder();
		int left = bytes;
		while (true) {
			int line = Math.min(left, 1 + random.nextInt(Math.max(1, Math.min(longestLine, left))));
			data.append(textOfBytes(random, line));
			left -= line;
			if (left <= 0) {
				return data.toString();
			}
			// The LF that joins two lines counts too.
			data.append((random.nextBoolean()) ? "\n" : "\r\n");
			left--;
		}
	}

	/** Text without line breaks that takes exactly {@code bytes} bytes of UTF-8. */
	static String textOfBytes(SplittableRandom random, int bytes) {
		StringBuilder text = new StringBuilder(bytes);
		int left = bytes;
		while (left > 0) {
			int width = 1 + random.nextInt(Math.min(4, left));
			switch (width) {
				case 1 -> text.append((char) ('a' + random.nextInt(26)));
				case 2 -> text.append((char) (0xA0 + random.nextInt(0x700)));
				case 3 -> text.append(oneOf(random, "\u2028", "\u20AC", "\uFEFF", "\u4E2D"));
				default -> text.appendCodePoint(0x1F600 + random.nextInt(80));
			}
			left -= width;
		}
		return text.toString();
	}

	/** Bytes that are mostly, but not always, an event stream. */
	static byte[] soup(SplittableRandom random) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		if (random.nextInt(5) == 0) {
			bytes.write(BOM, 0, 1 + random.nextInt(3));
		}
		int tokens = random.nextInt(120);
		for (int i = 0; i < tokens; i++) {
			String token = oneOf(random, "data", "data:", "data: ", "event:", "event: ", "id:", "id: ", "retry:",
					"retry: ", ":", " ", "\r", "\n", "\r\n", "\n\n", "\r\r", "0", "42", "99999999999999999999", "x",
					"message", "\0", "\u00e9", "\u20ac", "\uD83D\uDE00", "\uFEFF");
			byte[] encoded = token.getBytes(StandardCharsets.UTF_8);
			if (random.nextInt(20) == 0) {
				// Malformed UTF-8: a stray continuation byte, a truncated sequence or a byte never used.
				encoded = new byte[] { (byte) (int) oneOf(random, 0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0xEF, 0xBB) };
			}
			bytes.write(encoded, 0, encoded.length);
		}
		return bytes.toByteArray();
	}

	/**
	 * Rewrites the LF line endings of formatted frames as LF, CR or CRLF at random; never a lone LF
	 * right after a CR and an empty line, which would read as one CRLF.
	 */
	static byte[] reterminate(SplittableRandom random, byte[] stream) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		boolean lastWasCr = false;
		int lineLength = 0;
		for (byte b : stream) {
			if (b != '\n') {
				out.write(b);
				lineLength++;
				continue;
			}
			int choice = random.nextInt(3);
			if (choice == 0 && lastWasCr && lineLength == 0) {
				choice = 2;
			}
			switch (choice) {
				case 0 -> out.write('\n');
				case 1 -> out.write('\r');
				default -> {
					out.write('\r');
					out.write('\n');
				}
			}
			lastWasCr = (choice == 1);
			lineLength = 0;
		}
		return out.toByteArray();
	}

	/**
	 * Offsets to cut a stream at, sorted, repeats allowed (an empty chunk); cuts right after a CR or
	 * inside a multi-byte character are favoured.
	 */
	static int[] cuts(SplittableRandom random, byte[] stream) {
		if (stream.length == 0) {
			return new int[random.nextInt(2)];
		}
		if (random.nextInt(10) == 0) {
			return IntStream.range(1, stream.length).toArray();
		}
		int count = random.nextInt(Math.min(stream.length, 24) + 1);
		int[] cuts = new int[count + 1];
		// Near the start, inside a byte order mark, say.
		cuts[count] = (random.nextInt(3) == 0) ? Math.min(stream.length, 1 + random.nextInt(3)) : 0;
		for (int i = 0; i < count; i++) {
			int at = random.nextInt(stream.length + 1);
			for (int tries = 0; tries < 4 && at < stream.length && random.nextBoolean(); tries++) {
				byte previous = (at > 0) ? stream[at - 1] : 0;
				if (previous == '\r' || (previous & 0xC0) == 0xC0 || (previous & 0xC0) == 0x80) {
					break;
				}
				at = random.nextInt(stream.length + 1);
			}
			cuts[i] = at;
		}
		Arrays.sort(cuts);
		return cuts;
	}

	// Expectations

	/** Splits text into lines at CR, LF and CRLF, as the formatter and parser do. */
	static List<String> lines(String text) {
		List<String> lines = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\r' || c == '\n') {
				lines.add(text.substring(start, i));
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
					i++;
				}
				start = i + 1;
			}
		}
		lines.add(text.substring(start));
		return lines;
	}

	/** Data as a client gets it back: every CR, LF and CRLF one LF, unpaired surrogates '?'. */
	static String normalized(String data) {
		return String.join("\n", lines(utf8(data)));
	}

	/** The text that its UTF-8 bytes decode to: unpaired surrogates become '?'. */
	static String utf8(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
	}

	private static boolean fits(String data, int max) {
		List<String> lines = lines(data);
		int joined = lines.size() - 1;
		for (String line : lines) {
			int bytes = line.getBytes(StandardCharsets.UTF_8).length;
			if (bytes + "data: ".length() > max) {
				return false;
			}
			joined += bytes;
		}
		return joined <= max;
	}

	/** The frame of an item as the SSE standard and the formatter's Javadoc describe it. */
	static String canonicalFrame(SseItem<String> item) {
		StringBuilder frame = new StringBuilder();
		if (item.comment() != null) {
			lines(item.comment()).forEach((line) -> frame.append(": ").append(line).append('\n'));
		}
		if (item.id() != null) {
			frame.append("id: ").append(item.id()).append('\n');
		}
		if (item.eventType() != null) {
			frame.append("event: ").append(item.eventType()).append('\n');
		}
		if (item.retry() != null) {
			frame.append("retry: ").append(item.retry().toMillis()).append('\n');
		}
		if (item.data() != null) {
			lines(item.data()).forEach((line) -> frame.append("data: ").append(line).append('\n'));
		}
		return frame.append('\n').toString();
	}

	private static byte[] concat(List<byte[]> parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		parts.forEach((part) -> out.write(part, 0, part.length));
		return out.toByteArray();
	}

	@SafeVarargs
	private static <T> T oneOf(SplittableRandom random, T... choices) {
		return choices[random.nextInt(choices.length)];
	}

	/** Bytes to feed and where to cut them, with what they were made from or how they are read. */
	record Cut<T>(T of, byte[] stream, int[] cuts) {

		@Override
		public String toString() {
			return "of=" + this.of + "\nstream=" + quote(new String(this.stream, StandardCharsets.ISO_8859_1))
					+ "\ncuts=" + Arrays.toString(this.cuts);
		}

	}

	/** Data for a parser that holds lines and data to {@code max} bytes. */
	record Bounded(int max, String data) {

		@Override
		public String toString() {
			return "max=" + this.max + ", data=" + quote(this.data);
		}

	}

	/**
	 * Text with a character that no id (CR, LF, NUL) or no event type (CR, LF) may hold, the text
	 * without it, a negative retry delay, and which way to build an item with the event type.
	 */
	record Refusal(String valid, String bad, Duration negativeRetry, int path) {

		@Override
		public String toString() {
			return "valid=" + quote(this.valid) + ", bad=" + quote(this.bad) + ", negativeRetry=" + this.negativeRetry
					+ ", path=" + this.path;
		}

	}

	/** Hands out a stream in reads that end at the given offsets. */
	static final class CutInput extends InputStream {

		private final byte[] stream;

		private final int[] cuts;

		private int position;

		private int nextCut;

		CutInput(byte[] stream, int[] cuts) {
			this.stream = stream;
			this.cuts = cuts;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.stream.length) {
				return -1;
			}
			while (this.nextCut < this.cuts.length && this.cuts[this.nextCut] <= this.position) {
				this.nextCut++;
			}
			int end = (this.nextCut < this.cuts.length) ? this.cuts[this.nextCut] : this.stream.length;
			int count = Math.min(length, end - this.position);
			System.arraycopy(this.stream, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

}
