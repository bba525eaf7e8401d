/// Entity recognition: people, organizations, places, quantities and dates.
public enum FolioEntities {}
