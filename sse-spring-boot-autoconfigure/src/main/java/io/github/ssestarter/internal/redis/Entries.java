package io.github.ssestarter.internal.redis;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.ssestarter.internal.broadcast.SseBackplaneEvent.Place;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a topic's stream entry: {@code prev} (the id of the entry before it, written by the
 * append script), and those of the event that are set: {@code type}, {@code data}, {@code retry}
 * (milliseconds), {@code comment}, {@code users} (the names it is addressed to, each URL-encoded,
 * joined by commas), and one {@code h:<name>} per header the event was published with (such as
 * {@code h:traceparent}). An entry for an event published inside a transaction has one more:
 * {@code held} (the deadline, epoch milliseconds) on the entry that holds its place, {@code fills} or
 * {@code discards} (the held entry's id) on the one that fills or empties it. Other fields are
 * ignored, and so is a header that is not UTF-8 text: a header never makes an entry invalid.
 */
final class Entries {

	private static final byte[] PREV = bytes("prev");

	private static final byte[] TYPE = bytes("type");

	private static final byte[] DATA = bytes("data");

	private static final byte[] RETRY = bytes("retry");

	private static final byte[] COMMENT = bytes("comment");

	private static final byte[] USERS = bytes("users");

	private static final byte[] HELD = bytes("held");

	private static final byte[] FILLS = bytes("fills");

	private static final byte[] DISCARDS = bytes("discards");

	private static final String HEADER_PREFIX = "h:";

	private static final byte[] HEADER = bytes(HEADER_PREFIX);

	private Entries() {
	}

	/** Adds the event's fields, as name and value, to the append script's arguments. */
	static void put(List<String> arguments, SseBackplaneEvent event) {
		put(arguments, "type", event.eventType());
		put(arguments, "data", event.data());
		put(arguments, "retry", (event.retry() != null) ? Long.toString(event.retry().toMillis()) : null);
		put(arguments, "comment", event.comment());
		Set<String> users = event.users();
		if (users != null) {
			StringBuilder joined = new StringBuilder();
			for (String user : users) {
				joined.append(joined.isEmpty() ? "" : ",").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
			}
			arguments.add("users");
			arguments.add(joined.toString());
		}
		for (Map.Entry<String, String> header : event.headers().entrySet()) {
			arguments.add(HEADER_PREFIX + header.getKey());
			arguments.add(header.getValue());
		}
		Place place = event.place();
		if (place != null) {
			switch (place.kind()) {
				case HELD -> put(arguments, "held", Long.toString(place.until().toEpochMilli()));
				case FILLED -> put(arguments, "fills", place.heldId());
				case DISCARDED -> put(arguments, "discards", place.heldId());
			}
		}
	}

	/** The id of the entry before this one, or {@code null} if the entry does not say. */
	static @Nullable String previous(Map<byte[], byte[]> fields) {
		for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
			if (Arrays.equals(field.getKey(), PREV)) {
				return new String(field.getValue(), StandardCharsets.US_ASCII);
			}
		}
		return null;
	}

	/**
	 * The event an entry holds.
	 * @throws IllegalArgumentException if the entry is not a valid event: text that is not UTF-8, a
	 * retry that is not a number, a field an event cannot carry (a line break in the type, say)
	 */
	static SseBackplaneEvent toEvent(String id, Map<byte[], byte[]> fields) {
		String type = null;
		String data = null;
		Duration retry = null;
		String comment = null;
		Set<String> users = null;
		Map<String, String> headers = null;
		Place place = null;
		for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
			byte[] name = field.getKey();
			if (Arrays.equals(name, TYPE)) {
				type = text(field.getValue());
			}
			else if (Arrays.equals(name, DATA)) {
				data = text(field.getValue());
			}
			else if (Arrays.equals(name, RETRY)) {
				retry = Duration.ofMillis(Long.parseLong(text(field.getValue())));
			}
			else if (Arrays.equals(name, COMMENT)) {
				comment = text(field.getValue());
			}
			else if (Arrays.equals(name, USERS)) {
				users = users(text(field.getValue()));
			}
			else if (isHeader(name)) {
				headers = putHeader(headers, name, field.getValue());
			}
			else if (Arrays.equals(name, HELD)) {
				place = new Place(Place.Kind.HELD, null,
						Instant.ofEpochMilli(Long.parseLong(text(field.getValue()))));
			}
			else if (Arrays.equals(name, FILLS)) {
				place = new Place(Place.Kind.FILLED, heldId(field.getValue()), null);
			}
			else if (Arrays.equals(name, DISCARDS)) {
				place = new Place(Place.Kind.DISCARDED, heldId(field.getValue()), null);
			}
		}
		SseBackplaneEvent event = new SseBackplaneEvent(id, type, data, retry, comment, users,
				(headers != null) ? headers : Map.of(), place);
		// Refuses what no event may hold.
		event.toItem();
		return event;
	}

	private static String heldId(byte[] value) {
		String heldId = text(value);
		if (!EntryIds.isId(heldId)) {
			throw new IllegalArgumentException("a held place's id is not an entry id");
		}
		return heldId;
	}

	private static boolean isHeader(byte[] name) {
		return name.length > HEADER.length && Arrays.equals(name, 0, HEADER.length, HEADER, 0, HEADER.length);
	}

	/** Adds a header to those read so far, unless its name or value is not text. */
	private static @Nullable Map<String, String> putHeader(@Nullable Map<String, String> headers, byte[] name,
			byte[] value) {
		try {
			String headerName = text(Arrays.copyOfRange(name, HEADER.length, name.length));
			String headerValue = text(value);
			Map<String, String> read = (headers != null) ? headers : new LinkedHashMap<>();
			read.put(headerName, headerValue);
			return read;
		}
		catch (IllegalArgumentException ex) {
			// Only a trace is lost; the event itself is still delivered.
			return headers;
		}
	}

	private static Set<String> users(String joined) {
		Set<String> users = new LinkedHashSet<>();
		for (String encoded : joined.split(",", -1)) {
			String user = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
			if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
				throw new IllegalArgumentException("users holds an empty name or one with a control character");
			}
			users.add(user);
		}
		return users;
	}

	private static String text(byte[] value) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(value))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("a field is not UTF-8 text", ex);
		}
	}

	private static void put(List<String> arguments, String name, @Nullable String value) {
		if (value != null) {
			arguments.add(name);
			arguments.add(value);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
