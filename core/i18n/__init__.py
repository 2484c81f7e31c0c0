"""The languages the app speaks and the texts it shows in them."""
