package io.github.ssestarter.sample;

/**
 * The answer to a publication: the id the event got, which clients see as its {@code id:} and
 * send back as {@code Last-Event-ID}.
 *
 * @param id the event's id
 */
public record Published(String id) {

}
