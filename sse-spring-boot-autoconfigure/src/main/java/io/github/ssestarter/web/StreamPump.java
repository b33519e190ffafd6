package io.github.ssestarter.web;

import java.util.Iterator;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

import io.github.ssestarter.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Pulls a blocking {@link Stream} on the stream executor and writes each element as it comes.
 * When the client leaves, the stream is closed and the pulling thread interrupted, so a source
 * blocked waiting for its next element is released at once.
 */
final class StreamPump {

	private static final Log logger = LogFactory.getLog(StreamPump.class);

	private StreamPump() {
	}

	static void start(SseConnection connection, Stream<?> stream, SseFrameEncoder encoder) {
		if (!(connection.blockingExecutor() instanceof java.util.concurrent.ExecutorService executor)) {
			throw new IllegalStateException("Stream sources need an ExecutorService");
		}
		Future<?> pump;
		try {
			pump = executor.submit(() -> pump(connection, stream, encoder));
		}
		catch (RejectedExecutionException ex) {
			// Only when the application is stopping.
			stream.close();
			connection.end(SseConnectionOutcome.COMPLETED);
			return;
		}
		connection.onClose(() -> {
			stream.close();
			pump.cancel(true);
		});
	}

	private static void pump(SseConnection connection, Stream<?> stream, SseFrameEncoder encoder) {
		try (stream) {
			Iterator<?> elements = stream.iterator();
			String eventType = connection.settings().eventType();
			while (!connection.isEnded() && elements.hasNext()) {
				Object element = elements.next();
				if (element != null && !connection.send(encoder.encode(SseElements.toItem(element, eventType)))) {
					return;
				}
			}
			connection.end(SseConnectionOutcome.COMPLETED);
		}
		catch (Throwable ex) {
			SourceFailures.end(connection, ex, logger);
		}
	}

}
