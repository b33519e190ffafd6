package io.github.ssestarter.internal.web;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * The RFC 9457 problem details the starter answers a refused stream with, on either web stack,
 * written by hand so that they do not depend on the application's JSON mapper or error handling.
 */
public final class ProblemDetails {

	private ProblemDetails() {
	}

	/**
	 * The body of an {@code application/problem+json} answer.
	 * @param status the status
	 * @param detail what was wrong, or {@code null} to repeat the status's reason
	 * @param instance the request's path
	 * @return the body, in UTF-8
	 */
	public static byte[] json(HttpStatus status, @Nullable String detail, String instance) {
		String body = "{\"type\":\"about:blank\",\"title\":" + literal(status.getReasonPhrase()) + ",\"status\":"
				+ status.value() + ",\"detail\":" + literal((detail != null) ? detail : status.getReasonPhrase())
				+ ",\"instance\":" + literal(instance) + "}";
		return body.getBytes(StandardCharsets.UTF_8);
	}

	/** A JSON string literal. */
	private static String literal(String text) {
		StringBuilder json = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

}
