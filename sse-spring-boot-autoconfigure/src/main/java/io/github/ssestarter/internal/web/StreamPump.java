package io.github.ssestarter.internal.web;

import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

/**
 * Pulls a blocking {@link Stream} on the stream executor and hands each element to its target as
 * it comes. When the target wants no more, the stream is closed and the pulling thread
 * interrupted, so a source blocked waiting for its next element is released at once.
 */
public final class StreamPump {

	private StreamPump() {
	}

	/**
	 * Starts pulling on a thread reserved for the stream.
	 * @param threadRelease gives the reserved thread back, once the pulling is over
	 */
	public static void start(SourceTarget target, Stream<?> stream, ExecutorService executor, Runnable threadRelease) {
		Future<?> pump;
		try {
			pump = executor.submit(() -> {
				try {
					pump(target, stream);
				}
				finally {
					threadRelease.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Only when the application is stopping.
			threadRelease.run();
			stream.close();
			target.complete();
			return;
		}
		target.onCancel(() -> {
			stream.close();
			pump.cancel(true);
		});
	}

	private static void pump(SourceTarget target, Stream<?> stream) {
		try (stream) {
			Iterator<?> elements = stream.iterator();
			while (target.awaitReady()) {
				if (!elements.hasNext()) {
					target.complete();
					return;
				}
				Object element = elements.next();
				if (element != null && !target.accept(element)) {
					return;
				}
			}
		}
		catch (Throwable ex) {
			target.fail(ex);
		}
	}

}
