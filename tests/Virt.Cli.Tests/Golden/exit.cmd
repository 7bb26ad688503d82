uri; exit; uri
