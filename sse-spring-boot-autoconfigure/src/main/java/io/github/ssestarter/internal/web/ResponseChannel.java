package io.github.ssestarter.internal.web;

import java.io.IOException;
import java.util.List;

import io.github.ssestarter.internal.broadcast.SseSink;

/**
 * The response one {@link SseConnection} writes to, on one web stack: a servlet response or a
 * reactive one. It takes whole frames without blocking, says when a busy client can take more, and
 * completes the response once the connection has ended.
 */
public interface ResponseChannel {

	/**
	 * Sets what runs when a response that was busy can take more; replaces any earlier callback.
	 * @param callback the callback, which must not block
	 */
	void onWritable(Runnable callback);

	/**
	 * Writes frames as one write and one flush if the client can take them now.
	 * @param frames the frames
	 * @return {@code BUSY} if it cannot (the writable callback runs once it can), {@code CLOSED}
	 * if the connection has ended or the write failed
	 */
	SseSink.Result write(List<byte[]> frames);

	/**
	 * Writes a frame if nothing else is being written and the client can take it now: for a
	 * heartbeat, which a write in progress makes needless and which a client that cannot take more
	 * must not be sent (the overflow policy reports such a client).
	 * @param frame the frame
	 * @throws IOException if the client has gone
	 */
	void writeIfIdle(byte[] frame) throws IOException;

	/**
	 * When bytes were last written.
	 * @return the time, in {@link System#nanoTime()}'s terms
	 */
	long lastWriteNanos();

	/**
	 * Completes the response, with nothing more written; called once, when the connection ends,
	 * after its end handlers ran.
	 */
	void complete();

}
