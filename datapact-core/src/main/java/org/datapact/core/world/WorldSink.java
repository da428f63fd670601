package org.datapact.core.world;

import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.user.User;

/**
 * Where the generator writes a world. The store implements it with bulk inserts; tests implement it
 * in memory. The generator calls the methods in this order: parties, clients, console accounts,
 * then users, friendships, threads and messages in ascending id order, each in batches, then
 * agreements and consents. Implementations MUST consume a batch before returning: the generator may
 * reuse it.
 */
public interface WorldSink {
  /** The platform's partners and internal units. */
  void parties(List<Party> parties) throws DataPactException;

  /** OAuth2 clients of the parties, secrets already hashed. */
  void clients(List<ClientCredential> clients) throws DataPactException;

  /** Operators, regulators and partner staff. */
  void consoleAccounts(List<ConsoleAccount> accounts) throws DataPactException;

  /** A batch of users, ascending ids. */
  void users(List<User> batch) throws DataPactException;

  /** A batch of friend lists, ascending by user; every friendship appears in both users' lists. */
  void friendLists(List<FriendList> batch) throws DataPactException;

  /** A batch of inbox threads with their participants, ascending ids. */
  void threads(List<InboxThread> batch) throws DataPactException;

  /** A batch of messages, ascending ids. */
  void messages(List<Message> batch) throws DataPactException;

  /** Every agreement version with its status history. */
  void agreements(List<AgreementRecord> records) throws DataPactException;

  /** A batch of consent changes, in history order (by user, then time). */
  void consents(List<ConsentChange> batch) throws DataPactException;

  /** A batch of users' ad-targeting attributes, ascending by user. */
  void attributes(List<UserAttributes> batch) throws DataPactException;

  /** A batch of partners' viewing signals, ascending by user. */
  void signals(List<ViewingSignal> batch) throws DataPactException;

  /** The advertiser accounts. */
  void advertisers(List<Advertiser> advertisers) throws DataPactException;

  /** The campaigns of the ads timeline, ascending ids. */
  void campaigns(List<org.datapact.core.ads.Campaign> campaigns) throws DataPactException;

  /** The conflict-of-interest register. */
  void interests(List<org.datapact.core.agreement.Interest> interests) throws DataPactException;

  /** The approvals and recusals of the agreement timeline, in time order. */
  void approvals(List<org.datapact.core.agreement.ApprovalRecord> approvals)
      throws DataPactException;
}
