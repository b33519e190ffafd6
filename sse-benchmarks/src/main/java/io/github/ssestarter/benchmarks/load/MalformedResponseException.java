package io.github.ssestarter.benchmarks.load;

/**
 * Thrown when a server's response cannot be parsed as HTTP/1.1 or as chunked transfer coding.
 */
public final class MalformedResponseException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	MalformedResponseException(String message) {
		super(message);
	}

}
