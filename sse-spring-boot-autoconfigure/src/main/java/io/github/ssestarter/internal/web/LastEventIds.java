package io.github.ssestarter.internal.web;

import org.jspecify.annotations.Nullable;

/**
 * Where a reconnecting client's last event id comes from, and what the starter accepts of it: the
 * {@code Last-Event-ID} header browsers send, or the {@code lastEventId} query parameter for clients
 * that cannot set headers; at most a configured length, and no control characters.
 */
public final class LastEventIds {

	/** The header browsers send when they reconnect. */
	public static final String HEADER = "Last-Event-ID";

	/** The query parameter for clients that cannot set headers. */
	public static final String QUERY_PARAMETER = "lastEventId";

	private LastEventIds() {
	}

	/**
	 * The last event id a request carries, checked.
	 * @param header the request's {@code Last-Event-ID} header, or {@code null}
	 * @param queryParameter the request's {@code lastEventId} query parameter, or {@code null}
	 * @param maxLength the longest id accepted
	 * @return the header's id, else the parameter's, or {@code null} if the request carries none
	 * @throws InvalidLastEventIdException ({@code 400}) if the id is too long or has control
	 * characters
	 */
	public static @Nullable String check(@Nullable String header, @Nullable String queryParameter, int maxLength) {
		String id = header;
		String source = HEADER + " header";
		if (id == null) {
			id = queryParameter;
			source = QUERY_PARAMETER + " parameter";
		}
		if (id == null) {
			return null;
		}
		if (id.length() > maxLength) {
			throw new InvalidLastEventIdException(source + " is longer than " + maxLength + " characters");
		}
		for (int i = 0; i < id.length(); i++) {
			if (Character.isISOControl(id.charAt(i))) {
				throw new InvalidLastEventIdException(source + " contains control characters");
			}
		}
		return id;
	}

}
