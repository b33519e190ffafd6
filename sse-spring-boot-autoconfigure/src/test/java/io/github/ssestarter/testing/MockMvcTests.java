package io.github.ssestarter.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.testing.TestingExamplesApplication.GreetingController;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every kind of event stream tested with MockMvc in a {@code @WebMvcTest} slice: the response
 * has no non-blocking output there, so the starter writes blocking.
 */
@WebMvcTest(GreetingController.class)
class MockMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	GreetingController controller;

	@Test
	void streamsAStream() throws Exception {
		MvcResult result = this.mvc.perform(get("/greetings")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(result))
			.andExpect(status().isOk())
			.andExpect(content().contentType("text/event-stream;charset=UTF-8"))
			.andExpect(header().string("Cache-Control", "no-cache"))
			.andExpect(content().string("event: greeting\ndata: hello\n\nevent: greeting\ndata: bye\n\n"));
	}

	@Test
	void streamsAFlux() throws Exception {
		MvcResult result = this.mvc.perform(get("/letters")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(result)).andExpect(content().string("data: a\n\ndata: b\n\n"));
	}

	@Test
	void streamsATopicSubscription() throws Exception {
		MvcResult result = this.mvc.perform(get("/news")).andExpect(request().asyncStarted()).andReturn();
		// The subscription is live once the request has returned: what is published now reaches it.
		String id = this.broadcaster.publish("news", "extra");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> result.getResponse().getContentAsString().contains("data: extra"));
		assertThat(events(result)).containsExactly(new SseEvent("message", "extra", id));
	}

	@Test
	void resumesAResumableStreamWithoutCallingTheMethodAgain() throws Exception {
		int started = this.controller.answersStarted.get();
		MvcResult first = this.mvc.perform(get("/answer")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(first)).andExpect(status().isOk());
		List<SseEvent> events = events(first);
		assertThat(events).extracting(SseEvent::data).containsExactly("one", "two", "three");
		MvcResult resumed = this.mvc.perform(get("/answer").header("Last-Event-ID", events.get(0).lastEventId()))
			.andExpect(request().asyncStarted())
			.andReturn();
		this.mvc.perform(asyncDispatch(resumed)).andExpect(status().isOk());
		assertThat(events(resumed)).extracting(SseEvent::data).containsExactly("two", "three");
		this.mvc.perform(get("/answer").header("Last-Event-ID", events.get(2).lastEventId()))
			.andExpect(status().isNoContent());
		assertThat(this.controller.answersStarted).hasValue(started + 1);
	}

	private static List<SseEvent> events(MvcResult result) throws IOException {
		byte[] body = result.getResponse().getContentAsString().getBytes(StandardCharsets.UTF_8);
		List<SseEvent> events = new ArrayList<>();
		try (SseEventReader reader = new SseEventReader(new ByteArrayInputStream(body))) {
			for (SseEvent event = reader.next(); event != null; event = reader.next()) {
				events.add(event);
			}
		}
		return events;
	}

}
