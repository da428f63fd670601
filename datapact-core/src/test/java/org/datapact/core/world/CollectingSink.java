package org.datapact.core.world;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.user.User;

/** Keeps the small parts of a world and a SHA-256 digest of everything else. */
public final class CollectingSink implements WorldSink {
  final List<Party> parties = new ArrayList<>();
  final List<ClientCredential> clients = new ArrayList<>();
  final List<ConsoleAccount> accounts = new ArrayList<>();
  final Map<Long, User> users = new HashMap<>();
  final Map<Long, Integer> degree = new HashMap<>();
  final Map<Long, long[]> friends = new HashMap<>();
  final List<InboxThread> threads = new ArrayList<>();
  final List<Message> messages = new ArrayList<>();
  final List<org.datapact.core.agreement.AgreementRecord> agreements = new ArrayList<>();
  final List<org.datapact.core.consent.ConsentChange> consents = new ArrayList<>();
  final List<UserAttributes> attributes = new ArrayList<>();
  final List<ViewingSignal> signals = new ArrayList<>();
  final List<Advertiser> advertisers = new ArrayList<>();
  final List<org.datapact.core.ads.Campaign> campaigns = new ArrayList<>();
  long friendshipRows;
  private final MessageDigest sha;

  public CollectingSink() throws Exception {
    sha = MessageDigest.getInstance("SHA-256");
  }

  private void feed(Object... parts) {
    for (Object p : parts) {
      sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
  }

  String digest() {
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void parties(List<Party> p) {
    parties.addAll(p);
    p.forEach(x -> feed(x));
  }

  @Override
  public void clients(List<ClientCredential> c) {
    clients.addAll(c);
    c.forEach(x -> feed(x.clientId(), x.party())); // hashes are salted at random
  }

  @Override
  public void consoleAccounts(List<ConsoleAccount> a) {
    accounts.addAll(a);
    a.forEach(x -> feed(x));
  }

  @Override
  public void users(List<User> batch) {
    for (User u : batch) {
      users.put(u.id().value(), u);
      feed(u);
    }
  }

  @Override
  public void friendLists(List<FriendList> batch) {
    for (FriendList f : batch) {
      friendshipRows += f.size();
      degree.put(f.userId(), f.size());
      friends.put(f.userId(), f.friendIds());
      feed(f.userId(), java.util.Arrays.toString(f.friendIds()));
    }
  }

  @Override
  public void threads(List<InboxThread> batch) {
    threads.addAll(batch);
    batch.forEach(
        t ->
            feed(
                t.id(),
                t.subject(),
                t.viaParty(),
                t.createdAt(),
                java.util.Arrays.toString(t.participants())));
  }

  @Override
  public void agreements(List<org.datapact.core.agreement.AgreementRecord> records) {
    agreements.addAll(records);
    records.forEach(r -> feed(r.terms().ref()));
  }

  @Override
  public void consents(List<org.datapact.core.consent.ConsentChange> batch) {
    consents.addAll(batch);
    batch.forEach(c -> feed(c.canonical()));
  }

  @Override
  public void messages(List<Message> batch) {
    messages.addAll(batch);
    batch.forEach(x -> feed(x));
  }

  @Override
  public void attributes(List<UserAttributes> batch) {
    attributes.addAll(batch);
    batch.forEach(x -> feed(x));
  }

  @Override
  public void signals(List<ViewingSignal> batch) {
    signals.addAll(batch);
    batch.forEach(x -> feed(x));
  }

  @Override
  public void advertisers(List<Advertiser> a) {
    advertisers.addAll(a);
    a.forEach(x -> feed(x));
  }

  @Override
  public void campaigns(List<org.datapact.core.ads.Campaign> c) {
    campaigns.addAll(c);
    c.forEach(x -> feed(x.id(), x.name(), x.segment().canonical(), x.budgetCents()));
  }

  @Override
  public void interests(List<org.datapact.core.agreement.Interest> i) {
    i.forEach(x -> feed(x));
  }

  @Override
  public void approvals(List<org.datapact.core.agreement.ApprovalRecord> a) {
    a.forEach(x -> feed(x));
  }
}
