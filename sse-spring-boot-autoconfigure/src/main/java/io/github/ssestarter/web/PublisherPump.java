package io.github.ssestarter.web;

import io.github.ssestarter.wire.SseFrameEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Subscribes to a Reactive Streams {@link Publisher} (a {@code Flux}) and writes its elements one
 * at a time: the next element is requested only once the previous one is written, so a slow
 * client slows the publisher rather than filling memory, and writes run on the stream executor
 * rather than on the publisher's threads. The subscription is cancelled when the client leaves.
 *
 * <p>Only loaded when Reactive Streams is on the classpath.
 */
final class PublisherPump implements Subscriber<Object> {

	private static final Log logger = LogFactory.getLog(PublisherPump.class);

	private final SseConnection connection;

	private final SseFrameEncoder encoder;

	private final SerialExecutor writer;

	private volatile Subscription subscription;

	private PublisherPump(SseConnection connection, SseFrameEncoder encoder) {
		this.connection = connection;
		this.encoder = encoder;
		this.writer = new SerialExecutor(connection.blockingExecutor());
	}

	static void start(SseConnection connection, Object publisher, SseFrameEncoder encoder) {
		@SuppressWarnings("unchecked")
		Publisher<Object> source = (Publisher<Object>) publisher;
		source.subscribe(new PublisherPump(connection, encoder));
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.subscription = subscription;
		this.connection.onClose(subscription::cancel);
		subscription.request(1);
	}

	@Override
	public void onNext(Object element) {
		this.writer.execute(() -> {
			try {
				if (this.connection.send(this.encoder.encode(SseElements.toItem(element, this.connection.settings().eventType())))) {
					this.subscription.request(1);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.subscription.cancel();
			}
			catch (RuntimeException ex) {
				this.subscription.cancel();
				SourceFailures.end(this.connection, ex, logger);
			}
		});
	}

	@Override
	public void onError(Throwable failure) {
		// Queued behind pending writes, so that what was emitted before the failure is delivered.
		this.writer.execute(() -> SourceFailures.end(this.connection, failure, logger));
	}

	@Override
	public void onComplete() {
		this.writer.execute(() -> this.connection.end(SseConnectionOutcome.COMPLETED));
	}

}
