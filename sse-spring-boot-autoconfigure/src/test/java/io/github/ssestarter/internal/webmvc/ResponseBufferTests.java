package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each event stream's servlet response buffer is {@code sse.response-buffer-size} (4 KB by default),
 * not the container's default (32 KB on Jetty, which holds it per open stream), and events larger
 * than the buffer still arrive whole. Runs on Tomcat and, in the {@code on-jetty} execution, on Jetty.
 */
@SpringBootTest(classes = ResponseBufferTests.BufferTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ResponseBufferTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private static final String LARGE = "x".repeat(20_000);

	@LocalServerPort
	int port;

	@Autowired
	AtomicReference<HttpServletResponse> lastResponse;

	@Test
	void givesEachStreamTheConfiguredBufferInsteadOfTheContainersDefault() throws IOException {
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/open")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.next().data()).isEqualTo("open");
			// Tomcat never shrinks below its own 8 KB; Jetty would keep its 32 KB.
			assertThat(this.lastResponse.get().getBufferSize()).isBetween(4096, 8192);
		}
	}

	@Test
	void writesAnEventLargerThanTheBufferWhole() {
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/large")) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("before", LARGE, "after");
		}
	}


	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BufferTestApplication.Streams.class)
	static class BufferTestApplication {

		@Bean
		AtomicReference<HttpServletResponse> lastResponse() {
			return new AtomicReference<>();
		}

		@Bean
		Filter responseRecorder(AtomicReference<HttpServletResponse> lastResponse) {
			return (request, response, chain) -> {
				lastResponse.set((HttpServletResponse) response);
				chain.doFilter(request, response);
			};
		}

		@RestController
		static class Streams {

			/** Stays open until the client leaves. */
			@GetMapping(path = "/open", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
			Flux<SseItem<String>> open() {
				return Flux.concat(Flux.just(SseItem.of("open")), Flux.never());
			}

			@GetMapping(path = "/large", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
			Stream<SseItem<String>> large() {
				return Stream.of(SseItem.of("before"), SseItem.of(LARGE), SseItem.of("after"));
			}

		}

	}

}
