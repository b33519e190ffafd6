package io.github.ssestarter.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChunkedDecoderTest {

	private static final String BODY = "5\r\nhello\r\n1a;ext=1\r\n, world, in chunks of text\r\n0\r\nTrailer: x\r\n\r\n";

	@Test
	void decodesChunksSplitAnywhere() {
		byte[] bytes = BODY.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i <= bytes.length; i++) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ChunkedDecoder decoder = new ChunkedDecoder(out::write);
			decoder.accept(bytes, 0, i);
			decoder.accept(bytes, i, bytes.length - i);
			assertThat(out.toString(StandardCharsets.US_ASCII)).as("split at %d", i)
				.isEqualTo("hello, world, in chunks of text");
			assertThat(decoder.isDone()).isTrue();
		}
	}

	@Test
	void refusesGarbageInChunkSize() {
		ChunkedDecoder decoder = new ChunkedDecoder((bytes, offset, length) -> {
		});
		byte[] bytes = "zz\r\n".getBytes(StandardCharsets.US_ASCII);
		assertThatExceptionOfType(MalformedResponseException.class).isThrownBy(() -> decoder.accept(bytes, 0, 4));
	}

	@Test
	void readsStatusAndChunkedFromResponseHead() {
		HttpResponseHead head = new HttpResponseHead();
		byte[] bytes = ("HTTP/1.1 200 \r\nContent-Type: text/event-stream;charset=UTF-8\r\n"
				+ "Transfer-Encoding: chunked\r\n\r\n5\r\n").getBytes(StandardCharsets.US_ASCII);
		int used = head.feed(bytes, 0, bytes.length);
		assertThat(used).isEqualTo(bytes.length - 3);
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.isChunked()).isTrue();
		assertThat(head.contentType()).startsWith("text/event-stream");
	}

}
